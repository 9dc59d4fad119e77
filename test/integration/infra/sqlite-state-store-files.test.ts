import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Gru, InMemoryLogger, SqliteStateStore, StateStoreOpenError } from 'minions';
import { describeStoreFileFailure } from '../../../src/infra/store-file-failure';
import { makeReadOnly } from '../../support/read-only';

let root: string;
beforeAll(() => { root = mkdtempSync(join(tmpdir(), 'minions-store-files-')); });
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A fresh directory under the test's temp root. */
function freshDir(): string {
  const dir = join(root, `case-${++n}`);
  mkdirSync(dir);
  return dir;
}

/** A valid state file holding `rows` saved workflows of 2 KiB each, closed. */
async function validStoreFile(path: string, rows: number): Promise<void> {
  const store = new SqliteStateStore({ path });
  await store.startup();
  await Promise.all(Array.from({ length: rows }, (_, i) => store.saveContext(`wf-${i}`, 'o', Buffer.alloc(2048, i % 251))));
  await store.shutdown();
}

/** Starts a store on `path` and reads it; resolves to what failed (or undefined), the store shut down. */
async function openAndRead(path: string): Promise<unknown> {
  const store = new SqliteStateStore({ path });
  try {
    await store.startup();
    await store.getAllContexts();
    return undefined;
  } catch (e) {
    return e;
  } finally {
    await store.shutdown();
  }
}

describe('SqliteStateStore: a file it cannot use is named, with what to do', () => {
  it('garbage bytes: StateStoreOpenError, not a SQLite database, inspect and move aside; the SQLite error is the cause', async () => {
    const path = join(freshDir(), 'minions.db');
    writeFileSync(path, Buffer.from('this is not a database, just some bytes that happen to be here'.repeat(100)));
    const e = await openAndRead(path) as StateStoreOpenError;
    expect(e).toBeInstanceOf(StateStoreOpenError);
    expect(e).toMatchObject({ code: 'MINIONS_STATE_STORE_OPEN', file: path, sqliteCode: 'SQLITE_NOTADB', problem: 'not-a-database' });
    expect((e.cause as { code?: string }).code).toBe('SQLITE_NOTADB');
    expect(e.message).toBe(`State store ${path} cannot be opened: it is not a SQLite database (file is not a database, SQLITE_NOTADB). ` +
      `Check that the path names the state file. Look at it with \`minions inspect ${path}\`. To start fresh, stop every process ` +
      `using it and move it aside (with ${path}-wal, if present): its saved workflows will then not be resumed.`);
    expect(readFileSync(path, 'utf8')).toMatch(/^this is not a database/); // left as it was
  });

  it('a valid state file cut short: damaged (SQLITE_CORRUPT), at startup or at the first read', async () => {
    const path = join(freshDir(), 'minions.db');
    await validStoreFile(path, 200);
    const size = statSync(path).size;
    expect(size).toBeGreaterThan(100_000);
    truncateSync(path, Math.floor(size / 2) + 100);
    const e = await openAndRead(path) as StateStoreOpenError;
    expect(e).toBeInstanceOf(StateStoreOpenError);
    expect(e).toMatchObject({ file: path, problem: 'damaged' });
    expect(e.sqliteCode).toMatch(/^SQLITE_CORRUPT/);
    expect(e.message).toMatch(new RegExp(`^State store ${path} cannot be (opened|read): the file is damaged \\(database disk image is malformed, SQLITE_CORRUPT\\w*\\)\\. `));
    expect(e.message).toContain(`minions inspect ${path}`);
  });

  it('a directory where the file should be', async () => {
    const path = join(freshDir(), 'minions.db');
    mkdirSync(path);
    const e = await openAndRead(path) as StateStoreOpenError;
    expect(e).toBeInstanceOf(StateStoreOpenError);
    expect(e).toMatchObject({ file: path, problem: 'directory' });
    expect(e.message).toBe(`State store ${path} cannot be opened: it is a directory, not a file. ` +
      `Move the directory away, or give the store a file path such as ${path}/minions.db.`);
  });

  it('a relative path is named as the absolute file it resolves to', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'state.db'));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const e = await openAndRead('state.db') as StateStoreOpenError;
      expect(e.file).toBe(join(dir, 'state.db'));
      expect(e.message).toContain(`State store ${join(dir, 'state.db')} cannot be opened`);
    } finally {
      process.chdir(cwd);
    }
  });

  it('a zero-length file is a new store, and says so: fileAtStartup, and a warning from Gru.create', async () => {
    const path = join(freshDir(), 'minions.db');
    writeFileSync(path, '');
    const store = new SqliteStateStore({ path });
    const logger = new InMemoryLogger();
    const gru = await Gru.create({ stateStore: store, logger, metrics: null });
    try {
      expect(store.fileAtStartup).toBe('empty');
      await store.saveContext('wf', 'o', Uint8Array.of(1));
      expect(await store.getAllContexts()).toHaveLength(1);
    } finally {
      await gru.shutdown();
    }
    const warnings = logger.entries.filter((e) => e.level === 'warn');
    expect(warnings).toEqual([expect.objectContaining({
      message: 'State store file was empty (0 bytes): started as a new store',
      fields: expect.objectContaining({ file: path }),
    })]);

    // Reopened, it is a database; a missing file is created; neither is worth a warning.
    const again = new SqliteStateStore({ path });
    const fresh = new SqliteStateStore({ path: join(freshDir(), 'new.db') });
    await again.startup();
    await fresh.startup();
    expect([again.fileAtStartup, fresh.fileAtStartup]).toEqual(['database', 'missing']);
    await again.shutdown();
    await fresh.shutdown();
    expect(new SqliteStateStore({ path }).fileAtStartup).toBeUndefined(); // before startup
  });

  describe('read-only', () => {
    it('a read-only state file: the message says read-only, not ENOENT', async () => {
      const path = join(freshDir(), 'minions.db');
      await validStoreFile(path, 3);
      const readOnly = makeReadOnly(path);
      if (readOnly === null) return expectSeamMapping(path);
      try {
        const e = await openAndRead(path) as StateStoreOpenError;
        expect(e).toBeInstanceOf(StateStoreOpenError);
        expect(e).toMatchObject({ file: path, problem: 'read-only' });
        expect(e.message).toContain(`State store ${path} cannot be opened for writing: the file is read-only (${readOnly.code})`);
        expect(e.message).not.toContain('ENOENT');
      } finally {
        readOnly.undo();
      }
    });

    it('a missing state file in a read-only directory: the directory is named read-only', async () => {
      const dir = freshDir();
      const path = join(dir, 'minions.db');
      const readOnly = makeReadOnly(dir);
      if (readOnly === null) return expectSeamMapping(path);
      try {
        const e = await openAndRead(path) as StateStoreOpenError;
        expect(e).toBeInstanceOf(StateStoreOpenError);
        expect(e).toMatchObject({ file: path, problem: 'read-only' });
        expect(e.message).toContain(`State store ${path} cannot be created: its directory ${dir} is read-only (${readOnly.code})`);
        expect(e.message).not.toContain('ENOENT');
      } finally {
        readOnly.undo();
      }
    });

    it('a state file under a missing directory on a read-only file system', async () => {
      const dir = freshDir();
      const path = join(dir, 'state', 'minions.db');
      const readOnly = makeReadOnly(dir);
      if (readOnly === null) return expectSeamMapping(path);
      try {
        const e = await openAndRead(path) as StateStoreOpenError;
        expect(e).toMatchObject({ file: path, problem: 'read-only' });
        expect(e.message).toContain(`is read-only (${readOnly.code})`);
        expect(e.message).not.toContain('ENOENT');
      } finally {
        readOnly.undo();
      }
    });
  });
});

/**
 * Root without the right to mount: no read-only file can be made here, so check the mapping at
 * the seam the store uses (the SQLite error of a read-only WAL file, with what a probe finds).
 */
function expectSeamMapping(path: string): void {
  const error = Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_LOCK' });
  const e = describeStoreFileFailure(path, 'open', error, { exists: true, isDirectory: false, readOnly: { path, code: 'EROFS' } });
  expect(e.message).toContain('the file is read-only (EROFS)');
}
