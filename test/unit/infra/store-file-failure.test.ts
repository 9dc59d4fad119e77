import { StateStoreOpenError } from '../../../src/core/errors';
import { describeStoreFileFailure, type StoreFileFacts } from '../../../src/infra/store-file-failure';

/** An error as better-sqlite3 (SqliteError) or Node's fs raises it: a message and a code. */
function raised(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

const FILE = '/srv/app/state/minions.db';
const NOTHING: StoreFileFacts = { exists: true, isDirectory: false };

describe('describeStoreFileFailure: SQLite and OS error codes to one StateStoreOpenError naming the file', () => {
  it('a damaged file: SQLITE_CORRUPT, with inspect and move-aside as the remedy, the original kept as cause', () => {
    const cause = raised('SQLITE_CORRUPT', 'database disk image is malformed');
    const e = describeStoreFileFailure(FILE, 'open', cause, NOTHING);
    expect(e).toBeInstanceOf(StateStoreOpenError);
    expect(e).toMatchObject({ code: 'MINIONS_STATE_STORE_OPEN', file: FILE, sqliteCode: 'SQLITE_CORRUPT', problem: 'damaged', retryable: false });
    expect(e.cause).toBe(cause);
    expect(e.message).toBe(`State store ${FILE} cannot be opened: the file is damaged (database disk image is malformed, SQLITE_CORRUPT). ` +
      `Look at it with \`minions inspect ${FILE}\`. To start fresh, stop every process using it and move it aside ` +
      `(with ${FILE}-wal, if present): its saved workflows will then not be resumed.`);
  });

  it('a file that is not a database: SQLITE_NOTADB; a read failure says "cannot be read"', () => {
    const e = describeStoreFileFailure(FILE, 'read', raised('SQLITE_NOTADB', 'file is not a database'), NOTHING);
    expect(e).toMatchObject({ sqliteCode: 'SQLITE_NOTADB', problem: 'not-a-database' });
    expect(e.message).toMatch(/^State store \/srv\/app\/state\/minions\.db cannot be read: it is not a SQLite database \(file is not a database, SQLITE_NOTADB\)\. /);
    expect(e.message).toContain(`minions inspect ${FILE}`);
    expect(e.message).toContain('move it aside');
  });

  it('SQLITE_READONLY says read-only', () => {
    const e = describeStoreFileFailure(FILE, 'open', raised('SQLITE_READONLY', 'attempt to write a readonly database'), NOTHING);
    expect(e).toMatchObject({ sqliteCode: 'SQLITE_READONLY', problem: 'read-only' });
    expect(e.message).toMatch(/cannot be opened for writing: the file is read-only \(SQLITE_READONLY\)/);
    expect(e.message).toMatch(/make it writable/);
  });

  it.each([['EROFS'], ['EACCES'], ['EPERM']])('a file the system will not let this process write (%s) is read-only, whatever SQLite reported', (os) => {
    // A WAL database on a read-only mount fails with "disk I/O error" (SQLITE_IOERR_LOCK).
    const e = describeStoreFileFailure(FILE, 'open', raised('SQLITE_IOERR_LOCK', 'disk I/O error'), { exists: true, isDirectory: false, readOnly: { path: FILE, code: os } });
    expect(e).toMatchObject({ problem: 'read-only', sqliteCode: 'SQLITE_IOERR_LOCK' });
    expect(e.message).toContain(`cannot be opened for writing: the file is read-only (${os})`);
    expect(e.message).not.toMatch(/ENOENT|disk I\/O/);
  });

  it('a missing file in a directory it cannot write: the directory is named read-only, never ENOENT', () => {
    const e = describeStoreFileFailure(FILE, 'open', raised('SQLITE_CANTOPEN', 'unable to open database file'),
      { exists: false, isDirectory: false, readOnly: { path: '/srv/app/state', code: 'EROFS' } });
    expect(e).toMatchObject({ problem: 'read-only', sqliteCode: 'SQLITE_CANTOPEN' });
    expect(e.message).toContain(`State store ${FILE} cannot be created: its directory /srv/app/state is read-only (EROFS)`);
    expect(e.message).not.toContain('ENOENT');
  });

  it('an OS error before SQLite (mkdir of the directory on a read-only file system) is read-only too', () => {
    const e = describeStoreFileFailure(FILE, 'open', raised('EROFS', "EROFS: read-only file system, mkdir '/srv/app/state'"), { exists: false, isDirectory: false });
    expect(e).toMatchObject({ problem: 'read-only', sqliteCode: 'EROFS' });
    expect(e.message).toContain('is read-only (EROFS)');
  });

  it('a directory where the file should be', () => {
    const e = describeStoreFileFailure(FILE, 'open', raised('SQLITE_CANTOPEN', 'unable to open database file'), { exists: true, isDirectory: true });
    expect(e).toMatchObject({ problem: 'directory', sqliteCode: 'SQLITE_CANTOPEN' });
    expect(e.message).toBe(`State store ${FILE} cannot be opened: it is a directory, not a file. ` +
      `Move the directory away, or give the store a file path such as ${FILE}/minions.db.`);
  });

  it('a file where a directory of the path should be', () => {
    const e = describeStoreFileFailure(FILE, 'open', raised('EEXIST', "EEXIST: file already exists, mkdir '/srv/app/state'"),
      { exists: false, isDirectory: false, notADirectory: '/srv/app/state' });
    expect(e).toMatchObject({ problem: 'not-a-directory', sqliteCode: 'EEXIST' });
    expect(e.message).toMatch(/^State store \/srv\/app\/state\/minions\.db cannot be created: \/srv\/app\/state is a file, not a directory \(EEXIST\)\. /);
  });

  it('a full disk', () => {
    const e = describeStoreFileFailure(FILE, 'open', raised('SQLITE_FULL', 'database or disk is full'), NOTHING);
    expect(e).toMatchObject({ problem: 'disk-full' });
    expect(e.message).toContain('the file system is full (SQLITE_FULL)');
  });

  it('anything else: the SQLite message and code, the file and what to check', () => {
    const e = describeStoreFileFailure(FILE, 'open', raised('SQLITE_CANTOPEN', 'unable to open database file'), { exists: false, isDirectory: false });
    expect(e).toMatchObject({ problem: 'cannot-open', sqliteCode: 'SQLITE_CANTOPEN' });
    expect(e.message).toContain(`State store ${FILE} cannot be opened: unable to open database file (SQLITE_CANTOPEN).`);
    expect(e.message).toContain('/srv/app/state');
    const odd = describeStoreFileFailure(FILE, 'read', 'a string', NOTHING);
    expect(odd).toMatchObject({ problem: 'cannot-open', sqliteCode: 'UNKNOWN' });
    expect(odd.message).toContain('cannot be read: a string');
  });
});
