// The snippets the extension contributes, expanded as VS Code would with their default text, make a
// pipeline that type-checks with `tsc --strict`: a snippet that writes wrong code fails here.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const repo = path.resolve(__dirname, '..', '..');

interface Snippet {
  prefix: string | string[];
  body: string[];
  description: string;
}

/**
 * A snippet body with every tabstop at its default: `${1:text}` → text (nested expanded), `${1|a,b|}`
 * → a, `$1`/`${1}` → what tabstop 1 holds, `\$` → `$`, `\}` → `}`.
 */
export function expandSnippet(body: string): string {
  const values = new Map<string, string>();
  let at = 0;
  const parse = (stop: string | undefined): string => {
    let out = '';
    while (at < body.length) {
      const c = body[at]!;
      if (stop !== undefined && c === stop) return out;
      if (c === '\\' && at + 1 < body.length) {
        out += body[at + 1];
        at += 2;
      } else if (c === '$' && /\d/.test(body[at + 1] ?? '')) {
        const n = /^\d+/.exec(body.slice(at + 1))![0];
        at += 1 + n.length;
        out += values.get(n) ?? '';
      } else if (c === '$' && body[at + 1] === '{') {
        const m = /^\$\{(\d+)([:|}])/.exec(body.slice(at))!;
        at += m[0].length;
        const n = m[1]!;
        if (m[2] === '}') {
          out += values.get(n) ?? '';
        } else if (m[2] === ':') {
          const text = parse('}');
          at += 1;
          if (!values.has(n)) values.set(n, text);
          out += values.get(n)!;
        } else {
          const end = body.indexOf('|}', at);
          const first = body.slice(at, end).split(',')[0]!;
          at = end + 2;
          if (!values.has(n)) values.set(n, first);
          out += values.get(n)!;
        }
      } else {
        out += c;
        at += 1;
      }
    }
    return out;
  };
  return parse(undefined);
}

const manifest = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as {
  contributes: { snippets: { language: string; path: string }[] };
};
const [contribution] = manifest.contributes.snippets;
const snippets = JSON.parse(readFileSync(path.join(repo, contribution!.path), 'utf8')) as Record<
  string,
  Snippet
>;
const byPrefix = new Map(
  Object.values(snippets).flatMap((s) => [s.prefix].flat().map((p) => [p, s] as const)),
);
const expand = (prefix: string) => expandSnippet(byPrefix.get(prefix)!.body.join('\n'));

test('the expander fills tabstops as VS Code does', () => {
  assert.equal(
    expandSnippet('${1:a} $1 ${2|x,y|} ${3:{ n: ${4:1} \\}} \\${this.$1}$0'),
    'a a x { n: 1 } ${this.a}',
  );
});

test('snippets for Task, ExternalTask, WrapperTask and every parameter type', () => {
  assert.equal(contribution!.language, 'typescript');
  const kinds = [
    'string',
    'int',
    'float',
    'bool',
    'date',
    'dateinterval',
    'datetime',
    'hour',
    'enum',
    'list',
    'json',
  ];
  for (const prefix of ['task', 'externaltask', 'wrappertask', ...kinds.map((k) => `param-${k}`)])
    assert.ok(byPrefix.has(prefix), `a snippet with prefix ${prefix}`);
  // Every parameter builder the runtime has, so a new one gets a snippet.
  const builders = readFileSync(path.join(repo, 'runtime', 'src', 'parameter.ts'), 'utf8');
  const declared = /export const param = \{([\s\S]*?)\n\};/.exec(builders)![1]!;
  for (const [, name] of declared.matchAll(/^ {2}(\w+):/gm))
    assert.ok(kinds.includes(name!.toLowerCase()), name);
});

test('expanded with their defaults, the snippets make a pipeline tsc --strict accepts', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plumb-snippets-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const params = [...byPrefix.keys()].filter((p) => p.startsWith('param-'));
  const source = [
    "import { ExternalTask, LocalTarget, Task, WrapperTask, param } from 'plumb-pipelines';",
    expand('externaltask'),
    expand('task'),
    expand('wrappertask'),
    'export class EveryParam extends Task.with({',
    ...params.map(expand),
    '}) {}',
    // The parameters are typed: a wrong value must be an error.
    "// @ts-expect-error -- limit is a number\nnew EveryParam({ date: undefined as never, limit: 'ten' });",
  ].join('\n\n');
  writeFileSync(path.join(dir, 'pipeline.ts'), source);
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'nodenext',
        strict: true,
        noEmit: true,
        types: ['node'],
        typeRoots: [path.join(repo, 'node_modules', '@types')],
        paths: { 'plumb-pipelines': [path.join(repo, 'runtime', 'src', 'index.ts')] },
      },
      include: ['*.ts'],
    }),
  );
  const tsc = spawnSync(
    process.execPath,
    [path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir, '--strict'],
    { encoding: 'utf8' },
  );
  assert.equal(tsc.status, 0, `${tsc.stdout}${tsc.stderr}\n--- the expanded snippets:\n${source}`);
});
