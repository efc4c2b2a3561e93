// docs/guide.md cannot rot: its code blocks are extracted and run in document order in one project
// folder outside the repository. TypeScript blocks are type-checked together with `tsc --strict`;
// toml/csv/text blocks named by a file are written; each `npx plumb …` line of a sh block runs the
// CLI built from this tree and must exit as its comment says (`# exit 3`, else 0) and print every
// "quoted text" in the comment. A block of any other kind fails the test, so none escapes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { cli } from '../runtime/support/cli';

const repo = path.resolve(__dirname, '..', '..');
const guideFile = path.join(repo, 'docs', 'guide.md');
const guide = readFileSync(guideFile, 'utf8');

interface Block {
  lang: string;
  file: string | undefined;
  body: string;
  line: number;
}

function blocks(markdown: string): Block[] {
  const out: Block[] = [];
  const fence = /^```(\S*)[ \t]*(\S*)\n([\s\S]*?)^```$/gm;
  for (let m = fence.exec(markdown); m; m = fence.exec(markdown)) {
    const line = markdown.slice(0, m.index).split('\n').length;
    out.push({ lang: m[1]!, file: m[2] || undefined, body: m[3]!, line });
  }
  return out;
}

/** Words of a shell line, with '…' and "…" quoting (enough for the guide's commands). */
function shellWords(text: string): string[] {
  const words: string[] = [];
  const word = /'([^']*)'|"((?:\\.|[^"\\])*)"|(\S+)/g;
  for (let m = word.exec(text); m; m = word.exec(text)) {
    words.push(m[1] ?? (m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!));
  }
  return words;
}

/** A command and its comment: `cmd args   # exit 3 "text"`. */
function splitComment(line: string): { command: string; comment: string } {
  const at = line.search(/\s#\s/);
  return at < 0 ? { command: line, comment: '' } : { command: line.slice(0, at), comment: line.slice(at) };
}

function scratch(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plumb-guide-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function writeBlock(dir: string, b: Block): void {
  const file = path.join(dir, b.file!);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, b.body);
}

const all = blocks(guide);
const where = (b: Block) => `docs/guide.md:${b.line}`;

test('every block is of a kind this test runs, and every file block names its file', () => {
  assert.ok(all.length > 20, `found ${all.length} blocks`);
  for (const b of all) {
    assert.ok(['ts', 'toml', 'csv', 'text', 'sh'].includes(b.lang), `${where(b)}: a \`\`\`${b.lang} block`);
    if (b.lang !== 'sh') assert.ok(b.file, `${where(b)}: a ${b.lang} block names the file it is`);
  }
  const tsFiles = all.filter((b) => b.lang === 'ts').map((b) => b.file);
  assert.deepEqual(tsFiles, [...new Set(tsFiles)], 'each TypeScript file appears once');
});

test('every TypeScript block type-checks with tsc --strict against plumb-pipelines', (t) => {
  const dir = scratch(t);
  for (const b of all.filter((x) => x.lang === 'ts')) writeBlock(dir, b);
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        noEmit: true,
        types: ['node'],
        typeRoots: [path.join(repo, 'node_modules', '@types')],
        paths: { 'plumb-pipelines': [path.join(repo, 'runtime', 'src', 'index.ts')] },
      },
      include: ['**/*.ts'],
    }),
  );
  const tsc = spawnSync(
    process.execPath,
    [path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir, '--strict'],
    { encoding: 'utf8' },
  );
  assert.equal(tsc.status, 0, `tsc --strict on the guide's TypeScript:\n${tsc.stdout}${tsc.stderr}`);
});

test('every plumb command in the guide, run in order, exits and prints as its comment says', (t) => {
  const root = scratch(t);
  for (const b of all) {
    if (b.lang !== 'sh') {
      writeBlock(root, b);
      continue;
    }
    let cwd = root;
    for (const raw of b.body.split('\n')) {
      const { command, comment } = splitComment(raw.trim());
      if (command === '' || command.startsWith('npm ')) continue; // installing: what the package test does
      const words = shellWords(command);
      if (words[0] === 'cd') {
        cwd = path.resolve(cwd, words[1]!);
        continue;
      }
      assert.ok(
        words[0] === 'npx' && (words[1] === 'plumb' || words[1] === 'plumb-pipelines'),
        `${where(b)}: only npx plumb … lines run here: ${command}`,
      );
      const result = spawnSync(process.execPath, [cli(), ...words.slice(2)], {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
        timeout: 60_000,
      });
      const output = `${result.stdout}${result.stderr}`;
      const exit = Number(/\bexit (\d+)/.exec(comment)?.[1] ?? 0);
      assert.equal(result.status, exit, `${where(b)}: \`${command}\` exited ${result.status}\n${output}`);
      for (const m of comment.matchAll(/"((?:\\.|[^"\\])*)"/g)) {
        const text = m[1]!.replace(/\\(.)/g, '$1');
        assert.ok(output.includes(text), `${where(b)}: \`${command}\` prints "${text}"\n${output}`);
      }
    }
  }
});

test('the guide links resolve: its contents, docs/events.md, the images; the README links the guide', () => {
  const slugs = new Set(
    [...guide.matchAll(/^#+ (.+)$/gm)].map((m) =>
      m[1]!
        .toLowerCase()
        .replace(/[^\w\s-]/g, '')
        .replace(/\s/g, '-'),
    ),
  );
  for (const m of guide.matchAll(/\]\(#([^)]+)\)/g)) assert.ok(slugs.has(m[1]!), `#${m[1]} is a heading`);
  for (const m of guide.matchAll(/\]\(((?:\.\.\/|[\w-])[^)#]*)(?:#[^)]*)?\)/g)) {
    if (/^https?:/.test(m[1]!)) continue;
    assert.ok(existsSync(path.join(repo, 'docs', m[1]!)), `docs/${m[1]} exists`);
  }
  assert.match(readFileSync(path.join(repo, 'README.md'), 'utf8'), /\]\(docs\/guide\.md\)/);
});
