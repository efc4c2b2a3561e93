// With the runtime's types installed, TypeScript itself reports a missing or misspelt parameter of
// `new X({...})`: the server publishes no second error of its own, and offers its fixes (add the
// parameter with a typed placeholder, rename to the close match) on TypeScript's diagnostics.
// TypeScript's diagnostics here are real: the fixture is type-checked against the runtime's source.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { CodeActionRequest, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol';
import { fixturePath } from './fixtureWorkspace';
import { LspClient, serverBundle } from './lspClient';

const runtimeIndex = path.resolve(import.meta.dirname, '../../runtime/src/index.ts');

/** `tsc --strict` on one file, against the runtime's own source, as LSP diagnostics (source "ts"). */
function typeScriptDiagnostics(file: string, text: string): Diagnostic[] {
  const host = ts.createCompilerHost({});
  const read = host.readFile;
  host.readFile = (f) => (path.resolve(f) === file ? text : read(f));
  const program = ts.createProgram({
    rootNames: [file],
    options: {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      types: [],
      paths: { 'plumb-pipelines': [runtimeIndex] },
    },
    host,
  });
  const source = program.getSourceFile(file)!;
  return program.getSemanticDiagnostics(source).map((d) => ({
    range: {
      start: source.getLineAndCharacterOfPosition(d.start!),
      end: source.getLineAndCharacterOfPosition(d.start! + d.length!),
    },
    severity: 1,
    code: d.code,
    source: 'ts',
    message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  }));
}

function applyEdits(text: string, action: CodeAction, uri: string): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) =>
    lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const edits = [...action.edit!.changes![uri]!].sort(
    (a, b) => offset(b.range.start) - offset(a.range.start),
  );
  for (const e of edits)
    text = text.slice(0, offset(e.range.start)) + e.newText + text.slice(offset(e.range.end));
  return text;
}

describe('Plumb fixes on TypeScript diagnostics', { timeout: 60_000 }, () => {
  let client: LspClient;
  const root = fixturePath('typed-params');
  const file = path.join(root, 'pipeline.ts');
  const uri = pathToFileURL(file).href;
  const text = fs.readFileSync(file, 'utf8');
  let reported: Diagnostic[];

  before(async () => {
    reported = typeScriptDiagnostics(file, text);
    assert.ok(fs.existsSync(serverBundle), 'run `npm run build` first');
    client = new LspClient();
    await client.initialize(root);
    await client.waitFor('the first analysis', () => client.graphChanges.length > 0);
  });

  after(() => client.stop());

  const actionsFor = (d: Diagnostic) =>
    client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d] },
    }) as Promise<CodeAction[]>;

  it('publishes no Plumb error where TypeScript reports the parameter itself', () => {
    const codes = client.diagnosticsOf(file).map((d) => d.code);
    assert.ok(!codes.includes('plumb.missing-param'), codes.join(','));
    assert.ok(!codes.includes('plumb.unknown-param'), codes.join(','));
  });

  it("adds a missing parameter with a typed placeholder on TypeScript's 2345", async () => {
    const missing = reported.find((d) => d.code === 2345);
    assert.ok(missing, 'TypeScript reports the missing region');
    const actions = await actionsFor(missing);
    assert.deepEqual(
      actions.map((a) => a.title),
      ["Add 'region'"],
    );
    assert.deepEqual(actions[0]!.diagnostics, [missing]);
    const fixed = applyEdits(text, actions[0]!, uri);
    assert.match(fixed, /new Daily\(\{ date: this\.date, region: 'eu' \}\)/);
    assert.ok(!typeScriptDiagnostics(file, fixed).some((d) => d.code === 2345), 'TypeScript is satisfied');
  });

  it("renames a misspelt parameter to its close match on TypeScript's 2561", async () => {
    const misspelt = reported.find((d) => d.code === 2561);
    assert.ok(misspelt, 'TypeScript reports regoin');
    const actions = await actionsFor(misspelt);
    assert.deepEqual(
      actions.map((a) => a.title),
      ["Change to 'region'"],
    );
    const fixed = applyEdits(text, actions[0]!, uri);
    assert.match(fixed, /new Daily\(\{ date: this\.date, region: 'eu' \}\)/);
    assert.ok(!typeScriptDiagnostics(file, fixed).some((d) => d.code === 2561), 'TypeScript is satisfied');
  });

  it('offers nothing for a TypeScript diagnostic elsewhere', async () => {
    const elsewhere: Diagnostic = {
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 6 } },
      code: 2345,
      source: 'ts',
      message: 'not on a task',
    };
    assert.deepEqual(await actionsFor(elsewhere), []);
  });
});
