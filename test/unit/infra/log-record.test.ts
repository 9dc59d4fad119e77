import { buildLogRecord, serializeError, toJsonSafe } from '../../../src/infra/log-record';
import { MinionsError } from '../../../src/core/errors';

describe('buildLogRecord', () => {
  const now = new Date('2024-05-06T07:08:09.010Z');

  it('starts with ts, level, msg and adds the fields', () => {
    const record = buildLogRecord('info', 'Workflow started', { workflow_id: 'wf', step: 2 }, now);
    expect(JSON.stringify(record)).toBe('{"ts":"2024-05-06T07:08:09.010Z","level":"info","msg":"Workflow started","workflow_id":"wf","step":2}');
  });

  it('serializes errors as error_type, error_message, stack (+ code and cause)', () => {
    const cause = new RangeError('inner');
    const error = new MinionsError('MINIONS_X', 'outer', { cause });
    const record = buildLogRecord('error', 'boom', { error }, now);
    expect(record.error).toEqual({
      error_type: 'MinionsError',
      error_message: 'outer',
      stack: error.stack,
      code: 'MINIONS_X',
      cause: { error_type: 'RangeError', error_message: 'inner', stack: cause.stack },
    });
    expect(serializeError(new TypeError('t'))).toMatchObject({ error_type: 'TypeError', error_message: 't' });
  });

  it('never lets a field replace ts, level or msg', () => {
    const record = buildLogRecord('warn', 'm', { level: 'x', msg: 'y', ts: 'z' }, now);
    expect(record).toMatchObject({ level: 'warn', msg: 'm', field_level: 'x', field_msg: 'y', field_ts: 'z' });
  });

  it('makes awkward values JSON-safe', () => {
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic.self = cyclic;
    const safe = toJsonSafe({
      big: 10n, nan: Number.NaN, date: now, fn: function named() {}, sym: Symbol('s'),
      bytes: Buffer.alloc(3), map: new Map([['k', 1]]), set: new Set([1, 2]), cyclic, undef: undefined,
    }, 0, []);
    expect(safe).toEqual({
      big: '10', nan: 'NaN', date: '2024-05-06T07:08:09.010Z', fn: '[Function named]', sym: 'Symbol(s)',
      bytes: '[Buffer 3 bytes]', map: { k: 1 }, set: [1, 2], cyclic: { name: 'a', self: '[Circular]' },
    });
    expect(() => JSON.stringify(safe)).not.toThrow();
  });

  it('stops at depth 8', () => {
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 12; i++) deep = { deep };
    expect(JSON.stringify(toJsonSafe(deep, 0, []))).toContain('"[Object]"');
  });
});
