import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serializeError } from '../../../src/infra/log-record';
import { WinstonLogger } from '../../../src/infra/winston-logger';

describe('WinstonLogger', () => {
  let root: string;
  let stderr: jest.SpyInstance;
  const stderrText = (): string => stderr.mock.calls.map((call) => String(call[0])).join('');
  const readLines = (file: string): Array<Record<string, unknown>> =>
    readFileSync(file, 'utf8').split('\n').filter((line) => line.length > 0).map((line) => JSON.parse(line));

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'minions-logs-'));
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });

  afterEach(() => {
    stderr.mockRestore();
    rmSync(root, { recursive: true, force: true });
  });

  it('creates the directory at startup and writes one JSON object per line', async () => {
    const dir = join(root, 'a', 'b');
    const logger = new WinstonLogger({ dir, console: false });
    await logger.startup();
    expect(existsSync(dir)).toBe(true);
    logger.log('info', 'Workflow started', { orchestration_id: 'o', workflow_id: 'wf', step: 'price' });
    await logger.shutdown();

    const [line, ...rest] = readLines(join(dir, 'minions.log'));
    expect(rest).toEqual([]);
    expect(Object.keys(line!).slice(0, 3)).toEqual(['ts', 'level', 'msg']);
    expect(line).toMatchObject({ level: 'info', msg: 'Workflow started', orchestration_id: 'o', workflow_id: 'wf', step: 'price' });
    expect(new Date(line!.ts as string).toISOString()).toBe(line!.ts);
  });

  it('flushes every accepted line to the file by the time shutdown resolves, in order', async () => {
    const logger = new WinstonLogger({ dir: root, filename: 'many.log', console: false });
    await logger.startup();
    for (let i = 0; i < 2000; i++) logger.log('info', 'tick', { i, pad: 'x'.repeat(50) });
    await logger.shutdown();
    const lines = readLines(join(root, 'many.log'));
    expect(lines).toHaveLength(2000);
    expect(lines.map((l) => l.i)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  });

  it('drops lines below the level: info by default, or the configured one', async () => {
    const byDefault = new WinstonLogger({ dir: root, filename: 'default.log', console: false });
    const warnOnly = new WinstonLogger({ dir: root, filename: 'warn.log', level: 'warn', console: false });
    for (const logger of [byDefault, warnOnly]) {
      await logger.startup();
      for (const level of ['debug', 'info', 'warn', 'error', 'critical'] as const) logger.log(level, `at ${level}`);
      await logger.shutdown();
    }
    expect(readLines(join(root, 'default.log')).map((l) => l.level)).toEqual(['info', 'warn', 'error', 'critical']);
    expect(readLines(join(root, 'warn.log')).map((l) => l.level)).toEqual(['warn', 'error', 'critical']);
  });

  it('writes errors as error_type, error_message and stack', async () => {
    const logger = new WinstonLogger({ dir: root, console: false });
    await logger.startup();
    const error = new TypeError('price missing');
    logger.log('error', 'Workflow Step failed', { error, error_type: 'TypeError' });
    await logger.shutdown();
    const [line] = readLines(join(root, 'minions.log'));
    expect(line).toMatchObject({
      msg: 'Workflow Step failed',
      error_type: 'TypeError',
      error: { error_type: 'TypeError', error_message: 'price missing', stack: error.stack },
    });
  });

  it('mirrors warnings and worse to stderr, human-readable, when console is on', async () => {
    const logger = new WinstonLogger({ dir: root });
    await logger.startup();
    logger.log('info', 'quiet line');
    logger.log('warn', 'loud line', { key: 'value' });
    await logger.shutdown();
    expect(stderrText()).toMatch(/Z WARN loud line \{"key":"value"\}\n/);
    expect(stderrText()).not.toContain('quiet line');
    expect(readLines(join(root, 'minions.log')).map((l) => l.msg)).toEqual(['quiet line', 'loud line']);
  });

  it('leaves stack traces out of the stderr line, the file line keeps them', async () => {
    const logger = new WinstonLogger({ dir: root });
    await logger.startup();
    const cause = new Error('socket closed');
    const error = new Error('connect failed', { cause });
    logger.log('error', 'Failed to start orchestration', { ...serializeError(error), error });
    await logger.shutdown();
    const line = stderrText().split('\n').find((l) => l.includes('Failed to start orchestration'))!;
    const fields = JSON.parse(line.slice(line.indexOf('{'))) as Record<string, unknown>;
    expect(fields).toEqual({
      error_type: 'Error', error_message: 'connect failed', cause: { error_type: 'Error', error_message: 'socket closed' },
      error: { error_type: 'Error', error_message: 'connect failed', cause: { error_type: 'Error', error_message: 'socket closed' } },
    });
    const [record] = readLines(join(root, 'minions.log'));
    expect(record).toMatchObject({ stack: error.stack, error: { stack: error.stack, cause: { stack: cause.stack } } });
  });

  it('rotates before maxFileBytes and keeps floor(maxTotalBytes / maxFileBytes) files', async () => {
    const logger = new WinstonLogger({ dir: root, console: false, maxFileBytes: 2048, maxTotalBytes: 3 * 2048 + 100 });
    await logger.startup();
    for (let i = 0; i < 200; i++) logger.log('info', 'filler', { i, pad: 'y'.repeat(100) });
    await logger.shutdown();
    const files = readdirSync(root).sort();
    expect(files).toEqual(['minions.log', 'minions1.log', 'minions2.log']);
    for (const file of files) expect(statSync(join(root, file)).size).toBeLessThanOrEqual(2048);
    const kept = [...readLines(join(root, 'minions2.log')), ...readLines(join(root, 'minions1.log')),
      ...readLines(join(root, 'minions.log'))].map((l) => l.i as number);
    expect(kept[kept.length - 1]).toBe(199); // the active file holds the latest lines
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, k) => 200 - kept.length + k)); // no gap
  });

  it('loses no line while rotating under a sustained burst', async () => {
    const logger = new WinstonLogger({ dir: root, console: false, maxFileBytes: 16 * 1024, maxTotalBytes: 1024 * 1024 });
    await logger.startup();
    for (let i = 0; i < 5000; i++) {
      logger.log('info', 'burst', { i, pad: 'z'.repeat(100) });
      if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
    }
    await logger.shutdown();
    const seen = readdirSync(root).flatMap((file) => readLines(join(root, file)).map((l) => l.i as number));
    expect(readdirSync(root).length).toBeGreaterThan(30);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 5000 }, (_, i) => i));
  });

  it('never throws from log(): a field that cannot be read falls back to stderr', async () => {
    const logger = new WinstonLogger({ dir: root, console: false });
    await logger.startup();
    const hostile = { get boom(): never { throw new Error('getter exploded'); } };
    expect(() => logger.log('error', 'Resource method failed', hostile)).not.toThrow();
    await logger.shutdown();
    expect(stderrText()).toContain('[Logger Error] Error: getter exploded');
    expect(stderrText()).toContain('[Logger Fallback] error Resource method failed');
  });

  it('falls back to stderr when the log directory cannot be created, without throwing', async () => {
    const blocker = join(root, 'not-a-dir');
    writeFileSync(blocker, 'file in the way');
    const logger = new WinstonLogger({ dir: join(blocker, 'logs'), console: false });
    expect(() => logger.log('warn', 'before startup')).not.toThrow();
    expect(stderrText()).toContain('[Logger Fallback] warn before startup');
    await expect(logger.startup()).rejects.toThrow();
  });

  it('sends warnings logged after shutdown to stderr and reopens on a new startup', async () => {
    const logger = new WinstonLogger({ dir: root, console: false });
    logger.log('info', 'opened lazily before startup');
    await logger.shutdown();
    await logger.shutdown(); // idempotent
    logger.log('info', 'dropped after shutdown');
    logger.log('warn', 'late warning');
    expect(stderrText()).toMatch(/\[Logger Fallback\] \{"ts":"[^"]+","level":"warn","msg":"late warning"\}\n/);
    expect(stderrText()).not.toContain('dropped after shutdown');
    await logger.startup();
    logger.log('info', 'after restart');
    await logger.shutdown();
    expect(readLines(join(root, 'minions.log')).map((l) => l.msg)).toEqual(['opened lazily before startup', 'after restart']);
  });

  it('refuses invalid options', () => {
    expect(() => new WinstonLogger({ maxFileBytes: 10 })).toThrow(/maxFileBytes/);
    expect(() => new WinstonLogger({ maxFileBytes: 4096, maxTotalBytes: 2048 })).toThrow(/maxTotalBytes/);
    expect(() => new WinstonLogger({ level: 'loud' as never })).toThrow(/level/);
    const defaults = new WinstonLogger();
    expect(defaults).toMatchObject({ level: 'info', dir: 'logs', filename: 'minions.log', console: true,
      maxFileBytes: 10 * 1024 * 1024, maxTotalBytes: 100 * 1024 * 1024 });
    expect(defaults.filePath).toBe(join('logs', 'minions.log'));
  });
});
