/**
 * The Node.js flags the sample runs with: `npm start` spells them out (package.json), the
 * scale-out command passes them to its worker processes, the tests to the processes they spawn.
 * Without them the sample runs the same, with a higher peak RSS on long inputs.
 *
 * - `--max-old-space-size=512`: with a heap limit of 2 GiB or more (Node's default is about
 *   4 GiB on a machine of 16 GiB), V8 lets its old generation grow to 4 times the live heap
 *   before a full collection; with a limit of 512 MiB, to 1.4 times. The sample's live heap is
 *   about 30 MiB, so a long run's old generation stays near 40 MiB instead of sawing up to 90,
 *   and the peak RSS of 3 million flights is within 10 % of 20,000 flights' (docs/performance.md,
 *   "Peak RSS in N, fourth pass"), at the same speed. A `.json` input is read whole: 1.5 million
 *   flights (130 MB) still run; `.ndjson` and `.parquet` inputs are streamed.
 * - `--expose-gc`: lets the Parquet reader run full collections around each column it decodes
 *   (`collectDecodingGarbage` in parquet-input.ts).
 */
export const NODE_FLAGS: readonly string[] = ['--max-old-space-size=512', '--expose-gc'];
