import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { InputError } from './input';

/** The error for an input file that cannot be read: `Cannot read input file <file>: <why>.` */
export function cannotRead(file: string, e: unknown): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
  return new InputError(`Cannot read input file ${file}: ${why}.`);
}

/** SHA-256 of the file's bytes, read as a stream. @throws InputError naming `file` when it cannot be read. */
export function sha256(path: string, file: string): Promise<string> {
  return new Promise((done, fail) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', (e) => fail(cannotRead(file, e)))
      .on('end', () => done(hash.digest('hex')));
  });
}
