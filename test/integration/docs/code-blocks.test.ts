/**
 * Every ```ts block of README.md and docs/**\/*.md (but the generated API reference, docs/api)
 * type-checks against the public face
 * (`minions` and `minions/testing`, mapped to src/ as the project's tsconfig does), so that a
 * reader can paste it. Each block is its own module, with the imports it has. A block that is a
 * fragment (a signature, a piece of a class) is skipped when the line before it is an HTML
 * comment `<!-- not compiled: <why> -->`.
 *
 * Blocks are checked as ES modules (`module: es2022`), where top-level `await` is allowed; the
 * README's example, which must paste into a CommonJS project, is compiled as one by
 * test/integration/packaging/consumer.test.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '../../..');

interface Block {
  /** `docs/x.md:12` (the line of the opening fence). */
  where: string;
  /** The virtual file the block is checked as, beside the markdown file. */
  fileName: string;
  text: string;
}

function markdownFiles(): string[] {
  const out = [path.join(ROOT, 'README.md')];
  // docs/api is generated from the TSDoc (`npm run docs`): its blocks are the @example fragments
  // of the source, not pages a reader pastes from.
  const generated = path.join(ROOT, 'docs', 'api');
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (p === generated) continue;
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.md')) out.push(p);
    }
  };
  walk(path.join(ROOT, 'docs'));
  return out.sort();
}

/** The ```ts / ```typescript blocks of a markdown file, without the skipped ones. */
function blocksOf(file: string): { blocks: Block[]; skipped: string[] } {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  const rel = path.relative(ROOT, file);
  const blocks: Block[] = [];
  const skipped: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*```(ts|typescript)\s*$/.test(lines[i])) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    let prev = start - 1;
    while (prev >= 0 && lines[prev].trim() === '') prev--;
    const where = `${rel}:${start + 1}`;
    if (prev >= 0 && /^<!--\s*not compiled:.+-->$/.test(lines[prev].trim())) {
      skipped.push(where);
      continue;
    }
    blocks.push({
      where,
      fileName: `${file.replace(/\.md$/, '')}.block-${start + 1}.ts`,
      // `export {}` makes a block without imports a module too, so blocks do not share globals.
      text: `${body.join('\n')}\nexport {};\n`,
    });
  }
  return { blocks, skipped };
}

function check(blocks: Block[]): string[] {
  const configPath = path.join(ROOT, 'tsconfig.json');
  const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, ROOT);
  const options: ts.CompilerOptions = { ...parsed.options, module: ts.ModuleKind.ES2022, noEmit: true };
  const virtual = new Map(blocks.map((b) => [path.resolve(b.fileName), b]));
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, onError, create) => {
    const b = virtual.get(path.resolve(name));
    return b ? ts.createSourceFile(name, b.text, version) : getSourceFile(name, version, onError, create);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => virtual.has(path.resolve(name)) || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => virtual.get(path.resolve(name))?.text ?? readFile(name);
  const program = ts.createProgram([...virtual.keys()], options, host);
  const problems: string[] = [];
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const b = d.file && virtual.get(path.resolve(d.file.fileName));
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!b || d.start === undefined) {
      problems.push(`${d.file?.fileName ?? '(options)'}: ${message}`);
      continue;
    }
    const line = d.file!.getLineAndCharacterOfPosition(d.start).line;
    const [md, fence] = b.where.split(':');
    problems.push(`${md}:${Number(fence) + 1 + line}: TS${d.code}: ${message}`);
  }
  return problems;
}

describe('TypeScript blocks of the README and docs/', () => {
  const found = markdownFiles().map(blocksOf);
  const blocks = found.flatMap((f) => f.blocks);
  const skipped = found.flatMap((f) => f.skipped);

  it('finds the blocks', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(15);
    // Fragments are the exception: most blocks must compile.
    expect(skipped.length).toBeLessThanOrEqual(blocks.length / 3);
  });

  it('type-check against the public face, each as a module with its own imports', () => {
    expect(check(blocks)).toEqual([]);
  }, 180_000);
});
