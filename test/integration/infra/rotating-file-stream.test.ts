import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RotatingFileStream } from '../../../src/infra/rotating-file-stream';

describe('RotatingFileStream', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'minions-rotating-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const end = (stream: RotatingFileStream) => new Promise<void>((resolve) => stream.end(resolve));
  const written = (stream: RotatingFileStream, text: string) => new Promise<void>((resolve) => stream.write(text, () => resolve()));

  it('appends to an existing file and rotates it first when it is already full', async () => {
    const path = join(root, 'app.log');
    writeFileSync(path, 'x'.repeat(95) + '\n');
    const stream = new RotatingFileStream({ path, maxFileBytes: 100, maxFiles: 3, onError: fail });
    stream.write('new line\n');
    await end(stream);
    expect(readFileSync(join(root, 'app1.log'), 'utf8')).toBe('x'.repeat(95) + '\n');
    expect(readFileSync(path, 'utf8')).toBe('new line\n');
  });

  it('with maxFiles 1 starts the file again instead of keeping a rotated one', async () => {
    const path = join(root, 'one.log');
    const stream = new RotatingFileStream({ path, maxFileBytes: 10, maxFiles: 1, onError: fail });
    stream.write('123456789\n');
    stream.write('abcdefghi\n');
    await end(stream);
    expect(readFileSync(path, 'utf8')).toBe('abcdefghi\n');
    expect(existsSync(join(root, 'one1.log'))).toBe(false);
  });

  it('gives a line longer than maxFileBytes a file of its own', async () => {
    const path = join(root, 'big.log');
    const stream = new RotatingFileStream({ path, maxFileBytes: 10, maxFiles: 5, onError: fail });
    stream.write('a\n');
    stream.write('a very long line indeed\n');
    stream.write('b\n');
    await end(stream);
    expect(readFileSync(join(root, 'big2.log'), 'utf8')).toBe('a\n');
    expect(readFileSync(join(root, 'big1.log'), 'utf8')).toBe('a very long line indeed\n');
    expect(readFileSync(path, 'utf8')).toBe('b\n');
  });

  it('reports the text it could not write instead of failing, and recovers when the path works again', async () => {
    const blocker = join(root, 'blocker');
    writeFileSync(blocker, '');
    const failures: Array<{ error: unknown; unwritten: string }> = [];
    const stream = new RotatingFileStream({
      path: join(blocker, 'app.log'), maxFileBytes: 1000, maxFiles: 2,
      onError: (error, unwritten) => failures.push({ error, unwritten }),
    });
    stream.write('one\n');
    await written(stream, 'two\n'); // a write's callback runs once its chunk was handled: failures are reported by then
    expect(failures.map((f) => f.unwritten).join('')).toBe('one\ntwo\n');
    expect((failures[0]!.error as NodeJS.ErrnoException).code).toMatch(/ENOTDIR|EEXIST/);

    rmSync(blocker);
    stream.write('three\n');
    await end(stream);
    expect(readFileSync(join(blocker, 'app.log'), 'utf8')).toBe('three\n');
  });
});

function fail(error: unknown): never {
  throw error;
}
