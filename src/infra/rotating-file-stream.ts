import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { Writable } from 'node:stream';

/** Options of {@link RotatingFileStream}. */
export interface RotatingFileStreamOptions {
  /** The active file, e.g. `logs/minions.log`. Its directory is created when missing. */
  path: string;
  /** The active file is rotated before a write would take it past this size, bytes. ≥ 1. */
  maxFileBytes: number;
  /** Files kept, the active one included (`minions.log`, `minions1.log`, ...). ≥ 1. */
  maxFiles: number;
  /**
   * Called (instead of failing the stream) when the file cannot be opened, written or rotated,
   * with the text that was not written. The next write tries to open the file again.
   */
  onError: (error: unknown, unwritten: string) => void;
}

/**
 * An append-only, size-rotated file as a Node `Writable`, the target of {@link WinstonLogger}'s
 * winston Stream transport. Internal to `src/infra`.
 *
 * Writes are batched per event-loop turn: the first chunk of a turn waits for `setImmediate`,
 * and Node hands everything written meanwhile to one `_writev`, appended with one synchronous
 * `writeSync` (or one per file when the batch crosses a rotation). Synchronous, serialized writes
 * make rotation simple and lossless: nothing is in flight while files are renamed.
 *
 * Rotation is "tailable": the active file keeps its name; `name1.ext` is the newest rotated file,
 * `name<maxFiles-1>.ext` the oldest, and what would be `name<maxFiles>.ext` is deleted. A single
 * line longer than `maxFileBytes` gets a file of its own.
 *
 * Ending the stream writes what is buffered and closes the file. The stream never emits `'error'`:
 * failures go to `onError`.
 */
export class RotatingFileStream extends Writable {
  /** Path of the active file. */
  readonly path: string;
  private readonly maxFileBytes: number;
  private readonly maxFiles: number;
  private readonly onError: RotatingFileStreamOptions['onError'];
  private fd: number | null = null;
  private size = 0;

  constructor(options: RotatingFileStreamOptions) {
    super({ decodeStrings: true });
    this.path = options.path;
    this.maxFileBytes = Math.max(1, options.maxFileBytes);
    this.maxFiles = Math.max(1, Math.floor(options.maxFiles));
    this.onError = options.onError;
  }

  /** Opens (creating the directory and the file if missing) now instead of at the first write. */
  openNow(): void {
    this.ensureOpen();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    setImmediate(() => {
      this.append([chunk]);
      callback();
    });
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, callback: (error?: Error | null) => void): void {
    setImmediate(() => {
      this.append(chunks.map((c) => c.chunk));
      callback();
    });
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.closeFile();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.closeFile();
    callback(error);
  }

  /** Appends `chunks` in order, rotating whenever the next chunk would not fit. */
  private append(chunks: Buffer[]): void {
    let batch: Buffer[] = [];
    let batchBytes = 0;
    let index = 0;
    try {
      this.ensureOpen();
      for (; index < chunks.length; index++) {
        const chunk = chunks[index]!;
        if (this.size + batchBytes > 0 && this.size + batchBytes + chunk.length > this.maxFileBytes) {
          this.writeOut(batch, batchBytes);
          batch = [];
          batchBytes = 0;
          this.rotate();
        }
        batch.push(chunk);
        batchBytes += chunk.length;
      }
      this.writeOut(batch, batchBytes);
    } catch (error) {
      this.closeFile();
      // chunks[index] is pushed only after the write/rotation that precedes it succeeded
      const unwritten = Buffer.concat([...batch, ...chunks.slice(index)]);
      this.onError(error, unwritten.toString('utf8'));
    }
  }

  private writeOut(batch: Buffer[], bytes: number): void {
    if (bytes === 0) return;
    const data = batch.length === 1 ? batch[0]! : Buffer.concat(batch, bytes);
    let offset = 0;
    while (offset < data.length) offset += writeSync(this.fd!, data, offset, data.length - offset);
    this.size += bytes;
  }

  private rotate(): void {
    this.closeFile();
    const ext = extname(this.path);
    const stem = join(dirname(this.path), basename(this.path, ext));
    const rotated = (n: number): string => `${stem}${n}${ext}`;
    if (this.maxFiles === 1) {
      rmSync(this.path, { force: true });
    } else {
      rmSync(rotated(this.maxFiles - 1), { force: true });
      for (let n = this.maxFiles - 2; n >= 1; n--) {
        if (existsSync(rotated(n))) renameSync(rotated(n), rotated(n + 1));
      }
      renameSync(this.path, rotated(1));
    }
    this.ensureOpen();
  }

  private ensureOpen(): void {
    if (this.fd !== null) return;
    mkdirSync(dirname(this.path), { recursive: true });
    const fd = openSync(this.path, 'a');
    try {
      this.size = fstatSync(fd).size;
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    this.fd = fd;
  }

  private closeFile(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    try {
      closeSync(fd);
    } catch {
      // already closed or unusable: nothing to keep
    }
  }
}
