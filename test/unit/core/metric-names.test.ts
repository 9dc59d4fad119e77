import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { METRICS, RENAMED_FROM_REFERENCE } from '../../../src/core/metric-names';

const entries = Object.entries(METRICS);

describe('SEMANTICS 10: the METRICS table follows the Prometheus naming conventions', () => {
  it.each(entries)('%s: snake_case name and labels, help text, no reserved label', (name, def) => {
    expect(name).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
    expect(def.help.trim()).not.toBe('');
    for (const label of def.labels) {
      expect(label).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
      expect(['le', 'quantile']).not.toContain(label);
    }
  });

  it.each(entries)('%s: `_total` exactly when a counter; no type word in the name', (name, def) => {
    expect(name.endsWith('_total')).toBe(def.kind === 'counter');
    expect(name).not.toMatch(/_(counter|gauge|histogram|summary)(_|$)/);
  });

  it.each(entries)('%s: base units only (seconds, bytes, ratio), and histograms end in their unit', (name, def) => {
    expect(name).not.toMatch(/_(percent|percentage|milliseconds|microseconds|nanoseconds|minutes|hours|days|ms|us|ns|sec|kb|mb|gb|bits)(_|$)/);
    if (def.kind === 'histogram') expect(name).toMatch(/_(seconds|bytes|ratio)$/);
  });

  it('every renamed reference metric maps to a metric of the table, and no reference name is still in use', () => {
    for (const [reference, here] of Object.entries(RENAMED_FROM_REFERENCE)) {
      expect(METRICS[here]).toBeDefined();
      expect(METRICS[reference]).toBeUndefined();
    }
  });
});

describe('docs/reference/metrics.md', () => {
  const doc = readFileSync(join(__dirname, '../../../docs/reference/metrics.md'), 'utf8');
  const rows = doc.split('\n').filter((line) => line.startsWith('| `'));

  it('has a row for every metric of the METRICS table, with its kind', () => {
    for (const [name, def] of entries) {
      const row = rows.find((r) => r.startsWith(`| \`${name}\` |`));
      expect([name, row?.split('|')[2].trim()]).toEqual([name, def.kind]);
    }
  });

  it('maps every renamed reference metric to its name here, and lists no other rename', () => {
    const renames = rows.map((r) => /^\| `(\w+)` \| `(\w+)` \|/.exec(r)).filter((m) => m !== null).map((m) => [m![1], m![2]]);
    expect(Object.fromEntries(renames)).toEqual(RENAMED_FROM_REFERENCE);
  });
});
