/** Field paths in messages: `context.a.b[2]`, `labels["x-y"]`. */

/** Formats a field path: `a.b[2]`, `labels["x-y"]`. */
export function formatPath(root: string, segments: ReadonlyArray<string | number>): string {
  let out = root;
  for (const segment of segments) out = joinPath(out, segment);
  return out;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `base` + one more key or index, as {@link formatPath} writes it. */
export function joinPath(base: string, segment: string | number): string {
  if (typeof segment === 'number') return `${base}[${segment}]`;
  if (IDENTIFIER.test(segment)) return base === '' ? segment : `${base}.${segment}`;
  return `${base}[${JSON.stringify(segment)}]`;
}
