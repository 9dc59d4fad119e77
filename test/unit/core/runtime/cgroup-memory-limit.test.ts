import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readCgroupMemoryLimit } from '../../../../src/core/runtime/cgroup-memory-limit';

/**
 * The reader's seam is its root directory: each test lays out a temporary folder as
 * `/proc/self/cgroup` and `/sys/fs/cgroup` look on a host or in a container, with real files.
 */
describe('reading the container memory limit from the cgroup files', () => {
  let root: string;
  beforeEach(() => { root = mkdtempSync(join(tmpdir(), 'cgroup-')); });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const put = (path: string, text: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };

  it('cgroup v2: memory.max of the process group, in bytes, naming the file', () => {
    put('proc/self/cgroup', '0::/\n');
    put('sys/fs/cgroup/memory.max', '536870912\n');
    expect(readCgroupMemoryLimit(root)).toEqual({ bytes: 536870912, version: 'v2', file: join(root, 'sys/fs/cgroup/memory.max') });
  });

  it('cgroup v2: the smallest limit of the group and its parents applies (a systemd slice above a service)', () => {
    put('proc/self/cgroup', '0::/app.slice/flights.service\n');
    put('sys/fs/cgroup/app.slice/flights.service/memory.max', 'max\n');
    put('sys/fs/cgroup/app.slice/memory.max', '1073741824\n');
    expect(readCgroupMemoryLimit(root)).toEqual({ bytes: 1073741824, version: 'v2', file: join(root, 'sys/fs/cgroup/app.slice/memory.max') });
    put('sys/fs/cgroup/app.slice/flights.service/memory.max', '1048576000\n');
    expect(readCgroupMemoryLimit(root)).toMatchObject({ bytes: 1048576000, file: join(root, 'sys/fs/cgroup/app.slice/flights.service/memory.max') });
  });

  it("cgroup v2: 'max' everywhere is no limit (and v1 files are not consulted)", () => {
    put('proc/self/cgroup', '0::/user.slice\n');
    put('sys/fs/cgroup/user.slice/memory.max', 'max\n');
    put('sys/fs/cgroup/memory/memory.limit_in_bytes', '4096\n');
    expect(readCgroupMemoryLimit(root)).toBeUndefined();
  });

  it('cgroup v1: memory.limit_in_bytes of the memory controller, also when the container sees the host path', () => {
    put('proc/self/cgroup', '12:cpu,cpuacct:/docker/abc\n11:memory:/docker/abc\n1:name=systemd:/docker/abc\n');
    put('sys/fs/cgroup/memory/memory.limit_in_bytes', '268435456\n');
    expect(readCgroupMemoryLimit(root)).toEqual({ bytes: 268435456, version: 'v1', file: join(root, 'sys/fs/cgroup/memory/memory.limit_in_bytes') });
  });

  it('cgroup v1: the huge "unlimited" value is no limit', () => {
    put('proc/self/cgroup', '11:memory:/\n');
    put('sys/fs/cgroup/memory/memory.limit_in_bytes', '9223372036854771712\n');
    expect(readCgroupMemoryLimit(root)).toBeUndefined();
  });

  it('a hybrid host: a v2 line but no memory.max anywhere falls back to v1', () => {
    put('proc/self/cgroup', '11:memory:/svc\n0::/svc\n');
    put('sys/fs/cgroup/memory/svc/memory.limit_in_bytes', '734003200\n');
    expect(readCgroupMemoryLimit(root)).toMatchObject({ bytes: 734003200, version: 'v1' });
  });

  it('none: no /proc/self/cgroup (not Linux), or no limit file, or an unreadable value', () => {
    expect(readCgroupMemoryLimit(root)).toBeUndefined();
    put('proc/self/cgroup', '0::/\n');
    expect(readCgroupMemoryLimit(root)).toBeUndefined();
    put('sys/fs/cgroup/memory.max', 'garbage\n');
    expect(readCgroupMemoryLimit(root)).toBeUndefined();
    expect(readCgroupMemoryLimit(join(root, 'does-not-exist'))).toBeUndefined();
  });
});
