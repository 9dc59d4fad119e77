#!/usr/bin/env node
// `npm start`'s prestart: runs the incremental build (`npm run build`, `tsc -b`) only when a
// source is newer than the last build, so a second `npm start` starts at once. Looks at the
// modification times of tsconfig*.json, package.json and everything under the build's
// folders (directories too, so a deleted or renamed file counts) against the build info file.
'use strict';
const { readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
const buildInfo = join(root, 'dist', 'tsconfig.build.tsbuildinfo');
const sources = ['src', 'samples', 'bench', 'test/fixtures'];
const files = ['tsconfig.json', 'tsconfig.build.json', 'package.json'];

function mtime(path) {
  try { return statSync(path).mtimeMs; } catch { return 0; }
}

function newest(dir) {
  let latest = mtime(dir);
  let entries;
  try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return latest; }
  for (const e of entries) {
    const path = join(dir, e.name);
    latest = Math.max(latest, e.isDirectory() ? newest(path) : mtime(path));
  }
  return latest;
}

const built = mtime(buildInfo);
const stale = built === 0 ||
  files.some((f) => mtime(join(root, f)) > built) ||
  sources.some((d) => newest(join(root, d)) > built);
if (stale) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
