/**
 * The documentation site builds. `npm test` generates the API reference first (its pretest runs
 * `npm run docs`: TypeDoc into docs/api). Here TypeDoc runs again without writing (`--emit none`:
 * validation on, warnings are errors, so an export without TSDoc or a broken `{@link}` fails), then
 * VitePress builds docs/ into a temp folder (a dead link between pages, into the API reference or
 * within it, fails it). Neither rewrites docs/api, which the packaging test packs meanwhile. Then
 * every markdown file of docs/ (the API reference's too) is a page, the local search index holds
 * the pages' text (the API reference's too), and the reference of both entry points is served as
 * pages under /api/.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

describe('documentation site', () => {
  let outDir: string;
  let build: ReturnType<typeof spawnSync>;

  beforeAll(() => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'minions-site-'));
    if (!fs.existsSync(path.join(ROOT, 'docs', 'api', 'index.md'))) {
      throw new Error('docs/api is missing: run `npm run docs` first (npm test does it in pretest).');
    }
    const bin = (name: string): string => path.join(ROOT, 'node_modules', '.bin', name);
    build = spawnSync(bin('typedoc'), ['--emit', 'none'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status === 0) build = spawnSync(bin('vitepress'), ['build', 'docs', '--outDir', outDir], { cwd: ROOT, encoding: 'utf8' });
  }, 600_000);

  afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

  it('builds without a TypeDoc warning or a dead link', () => {
    expect({ status: build.status, output: build.status === 0 ? '' : `${build.stdout}\n${build.stderr}` }).toEqual({ status: 0, output: '' });
  });

  it('has a page for every markdown file of docs/', () => {
    const pages: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        if (e.name.startsWith('.') || e.name === 'public') continue;
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.md')) pages.push(path.relative(path.join(ROOT, 'docs'), p).replace(/\.md$/, '.html'));
      }
    };
    walk(path.join(ROOT, 'docs'));
    expect(pages.length).toBeGreaterThanOrEqual(30);
    expect(pages.filter((p) => !fs.existsSync(path.join(outDir, p)))).toEqual([]);
  });

  it('has a local search index with the pages in it', () => {
    const chunks = path.join(outDir, 'assets', 'chunks');
    const index = fs.readdirSync(chunks).filter((f) => f.startsWith('@localSearchIndex'));
    expect(index.length).toBeGreaterThan(0);
    const text = index.map((f) => fs.readFileSync(path.join(chunks, f), 'utf8')).join('');
    // A minisearch index: page ids, and terms lowercased.
    expect(text).toContain('/guides/testing-minions.html');
    expect(text).toContain('/reference/configuration.html');
    expect(text).toContain('runstatestorecontract');
    expect(text).toContain('memorysoftlimitmib');
    expect(text).toContain('/api/minions/classes/Gru.html');
    expect(text).toContain('/api/minions/testing/functions/runMinion.html');
  });

  it('renders the API reference of both public faces as pages under /api/', () => {
    for (const md of ['index.md', 'minions/classes/Gru.md', 'minions/testing/functions/runMinion.md']) {
      expect(fs.existsSync(path.join(ROOT, 'docs', 'api', md))).toBe(true);
      expect(fs.existsSync(path.join(outDir, 'api', md.replace(/\.md$/, '.html')))).toBe(true);
    }
    // A page of the theme, not a copied file: the site's search box and sidebar are on it.
    expect(fs.readFileSync(path.join(outDir, 'api', 'minions', 'classes', 'Gru.html'), 'utf8')).toContain('VPSidebar');
  });
});
