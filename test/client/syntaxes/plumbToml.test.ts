// Tokenizes plumb.toml with the TextMate engine VS Code itself uses (vscode-textmate + oniguruma).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const require = createRequire(import.meta.url);

async function loadGrammar(): Promise<textmate.IGrammar> {
  const wasm = await readFile(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(
    wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer,
  );
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      if (scopeName !== 'source.plumb-toml') return null;
      const file = path.join(root, 'syntaxes', 'plumb-toml.tmLanguage.json');
      return textmate.parseRawGrammar(await readFile(file, 'utf8'), file);
    },
  });
  const grammar = await registry.loadGrammar('source.plumb-toml');
  assert.ok(grammar);
  return grammar;
}

/** Each non-blank token of the text with its innermost scope. */
async function tokens(text: string): Promise<Array<[string, string]>> {
  const grammar = await loadGrammar();
  let stack = textmate.INITIAL;
  const out: Array<[string, string]> = [];
  for (const line of text.split('\n')) {
    const result = grammar.tokenizeLine(line, stack);
    for (const token of result.tokens) {
      const value = line.slice(token.startIndex, token.endIndex);
      if (value.trim()) out.push([value.trim(), token.scopes.at(-1)!]);
    }
    stack = result.ruleStack;
  }
  return out;
}

function scopeOf(all: Array<[string, string]>, value: string, nth = 0): string | undefined {
  return all.filter(([v]) => v === value)[nth]?.[1];
}

test('the example project plumb.toml: family names, parameters and settings get Plumb scopes', async () => {
  const all = await tokens(`# settings
[run]
workers = 4
retry_backoff = 2.5
[params.Top10Artists]   # defaults
dateInterval = "2026-11-01-2026-11-07"
dates = [2026-11-01, 2026-11-02]
[tasks.AggregateArtists]
retries = 3
isolate = true
[other]
key = 'literal'
`);
  assert.equal(scopeOf(all, '#'), 'punctuation.definition.comment.toml');
  assert.equal(scopeOf(all, 'settings'), 'comment.line.number-sign.toml');
  assert.equal(scopeOf(all, 'defaults'), 'comment.line.number-sign.toml');
  assert.equal(scopeOf(all, 'run'), 'keyword.other.section.plumb-toml');
  assert.equal(scopeOf(all, 'workers'), 'support.type.property-name.run-setting.plumb-toml');
  assert.equal(scopeOf(all, '4'), 'constant.numeric.toml');
  assert.equal(scopeOf(all, '2.5'), 'constant.numeric.toml');
  assert.equal(scopeOf(all, 'Top10Artists'), 'entity.name.type.class.task-family.plumb-toml');
  assert.equal(scopeOf(all, 'dateInterval'), 'variable.parameter.task-param.plumb-toml');
  assert.equal(scopeOf(all, '2026-11-01-2026-11-07'), 'string.quoted.double.basic.line.toml');
  assert.equal(scopeOf(all, '2026-11-01'), 'constant.other.datetime.toml');
  assert.equal(scopeOf(all, 'dates'), 'variable.parameter.task-param.plumb-toml');
  assert.equal(scopeOf(all, 'AggregateArtists'), 'entity.name.type.class.task-family.plumb-toml');
  assert.equal(scopeOf(all, 'retries'), 'support.type.property-name.task-setting.plumb-toml');
  assert.equal(scopeOf(all, 'true'), 'constant.language.boolean.toml');
  assert.equal(scopeOf(all, 'other'), 'entity.name.section.table.toml');
  assert.equal(scopeOf(all, 'key'), 'support.type.property-name.toml');
  assert.equal(scopeOf(all, 'literal'), 'string.quoted.single.literal.line.toml');
});

test('a multi-line array whose lines start with [ does not end the params section', async () => {
  const all = await tokens(`[params.Matrix]
rows = [
  [1, 2],
  [3, 4],
]
cols = 2
`);
  assert.equal(scopeOf(all, 'cols'), 'variable.parameter.task-param.plumb-toml');
  assert.equal(scopeOf(all, '3'), 'constant.numeric.toml');
});

test('multi-line strings, escapes, inline tables and special numbers', async () => {
  const all = await tokens(`[params.Job]
query = """
SELECT "x"\\n
"""
opts = { depth = 2, name = "n" }
big = 0x_ff
ratio = -inf
`);
  assert.equal(scopeOf(all, 'SELECT "x"'), 'string.quoted.triple.basic.block.toml');
  assert.equal(scopeOf(all, '\\n'), 'constant.character.escape.toml');
  assert.equal(scopeOf(all, 'depth'), 'support.type.property-name.toml');
  assert.equal(scopeOf(all, 'ratio'), 'variable.parameter.task-param.plumb-toml');
  assert.equal(scopeOf(all, '-inf'), 'constant.numeric.float.toml');
});
