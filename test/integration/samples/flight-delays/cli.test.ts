import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastJsonLine, runSample } from './sample-process';

describe('flight-delays command line (compiled, child process)', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'flight-cli-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('an unknown flag exits 2 with a message, before anything starts', async () => {
    const dataDir = join(dir, 'unknown-flag');
    const r = await runSample(['--data-dir', dataDir, '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--bogus'");
    expect(existsSync(dataDir)).toBe(false);
  });

  it('a bad option value exits 2 naming the option', async () => {
    const threshold = await runSample(['--threshold', 'soon']);
    expect(threshold.code).toBe(2);
    expect(threshold.stderr).toContain("option '--threshold <minutes>' argument 'soon' is invalid");
    const port = await runSample(['--metrics-port', '70000']);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('--metrics-port');
  });

  it('a missing input file exits 2 naming the file; nothing is created', async () => {
    const dataDir = join(dir, 'missing');
    const input = join(dir, 'no-such-flights.ndjson');
    const r = await runSample(['--input', input, '--data-dir', dataDir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(input);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('a malformed ndjson input exits 2 naming the file, the line and the field', async () => {
    const input = join(dir, 'bad.ndjson');
    writeFileSync(input, '{"date":"2001/01/01 00:47","delay":66,"distance":1750,"origin":"DTW","destination":"LAS"}\n' +
      '{"date":"2001/01/01 01:10","delay":95,"distance":2399,"origin":"HNL"}\n');
    const r = await runSample(['--input', input, '--data-dir', join(dir, 'bad')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${input} line 2: field "destination" is missing`);
  });

  it('a small input runs to the end: exit 0, the last stdout line is the JSON summary; a data dir refuses another threshold', async () => {
    const input = join(dir, 'two.json');
    writeFileSync(input, JSON.stringify([
      { date: '2001/01/01 00:47', delay: 66, distance: 1750, origin: 'DTW', destination: 'LAS' },
      { date: '2001/01/01 01:24', delay: -5, distance: 407, origin: 'LAS', destination: 'OAK' },
    ]));
    const dataDir = join(dir, 'two');
    const r = await runSample(['--input', input, '--data-dir', dataDir, '--json', '--metrics-port', '0']);
    expect(r.code).toBe(0);
    expect(lastJsonLine(r.stdout)).toMatchObject({ flights: 2, alerts: 1, aborted: 1, failed: 0, seconds: expect.any(Number) });

    const other = await runSample(['--input', input, '--data-dir', dataDir, '--threshold', '30', '--metrics-port', '0']);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('was made with threshold 60 (this run: 30)');
  });

  it('a data dir that is a file exits 2 naming it, before anything starts', async () => {
    const notADir = join(dir, 'a-file');
    writeFileSync(notADir, '');
    const r = await runSample(['--data-dir', notADir, '--metrics-port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`flight-delays: State store ${join(notADir, 'minions.db')} cannot be created: ${notADir} is a file, not a directory`);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});
