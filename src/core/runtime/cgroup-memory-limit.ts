import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

/** A memory limit the kernel enforces on this process's control group (the container's limit). */
export interface CgroupMemoryLimit {
  /** The limit, bytes. */
  bytes: number;
  /** Which cgroup interface it came from. */
  version: 'v2' | 'v1';
  /** The file it was read from, e.g. `/sys/fs/cgroup/memory.max`. */
  file: string;
}

/**
 * cgroup v1 writes "no limit" as a huge number (9223372036854771712 on 64-bit, the largest
 * page-aligned signed 64-bit value); any value from 2^60 bytes (1 EiB) up is taken as no limit.
 */
export const CGROUP_V1_NO_LIMIT_FROM = 2 ** 60;

/**
 * Reads the memory limit of this process's cgroup, or `undefined` when there is none (or no
 * cgroup information, e.g. not on Linux). Never throws: an unreadable file counts as absent.
 *
 * cgroup v2: the `0::<path>` line of `/proc/self/cgroup` names the group; `memory.max` is read in
 * `/sys/fs/cgroup<path>` and in each parent up to `/sys/fs/cgroup` (the smallest limit applies;
 * `max` means none at that level). When no `memory.max` exists at all (a hybrid host whose memory
 * controller is still v1), cgroup v1: the line whose controllers include `memory` names the group,
 * and `memory.limit_in_bytes` is read the same way under `/sys/fs/cgroup/memory`. Walking up to
 * the mount point also finds the limit inside a container whose `/proc/self/cgroup` shows the
 * host's path while its own group is mounted at the top.
 *
 * @param root - the directory holding `proc/` and `sys/` (default `/`); tests point it at a
 *   temporary folder laid out the same way.
 */
export function readCgroupMemoryLimit(root = '/'): CgroupMemoryLimit | undefined {
  const table = readText(join(root, 'proc/self/cgroup'));
  if (table === undefined) return undefined;
  const lines = table.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
  const v2Path = lines.find((line) => line.startsWith('0::'))?.slice(3);
  if (v2Path !== undefined) {
    const found = smallestOnTheWayUp(join(root, 'sys/fs/cgroup'), v2Path, 'memory.max', (text) => (text === 'max' ? Infinity : bytesOf(text)));
    if (found.seen) return found.limit && { ...found.limit, version: 'v2' };
  }
  const v1Line = lines.map((line) => line.split(':')).find((parts) => parts.length >= 3 && parts[1].split(',').includes('memory'));
  if (v1Line === undefined) return undefined;
  const found = smallestOnTheWayUp(join(root, 'sys/fs/cgroup/memory'), v1Line.slice(2).join(':'), 'memory.limit_in_bytes', (text) => {
    const bytes = bytesOf(text);
    return bytes !== undefined && bytes >= CGROUP_V1_NO_LIMIT_FROM ? Infinity : bytes;
  });
  return found.limit && { ...found.limit, version: 'v1' };
}

interface Found {
  /** Whether any limit file was read (even one saying "no limit"). */
  seen: boolean;
  limit?: { bytes: number; file: string };
}

/** Reads `fileName` in `mount + groupPath` and each parent up to `mount`; keeps the smallest finite value. */
function smallestOnTheWayUp(mount: string, groupPath: string, fileName: string, parse: (text: string) => number | undefined): Found {
  const found: Found = { seen: false };
  let group = posix.normalize(`/${groupPath}`);
  for (;;) {
    const file = join(mount, group, fileName);
    const text = readText(file);
    const bytes = text === undefined ? undefined : parse(text.trim());
    if (bytes !== undefined) {
      found.seen = true;
      if (Number.isFinite(bytes) && (found.limit === undefined || bytes < found.limit.bytes)) found.limit = { bytes, file };
    }
    if (group === '/') return found;
    group = posix.dirname(group);
  }
}

function bytesOf(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const bytes = Number(text);
  return bytes > 0 ? bytes : undefined;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
