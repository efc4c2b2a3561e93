// TypeScript's "Excessive stack depth comparing types" (TS2321) on the array a requires() returns, in a
// 60-layer pipeline (test/runtime/deepPipeline.ts): the server offers to return it as a tuple
// (`as const`), and with every fix applied the pipeline type-checks clean. TypeScript's diagnostics
// are real: `tsc --strict` against the runtime's source.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import {
  CodeActionRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  type CodeAction,
  type Diagnostic,
} from 'vscode-languageserver-protocol';
import { pipelineErrors, strictDiagnostics, writeDeepPipeline } from '../runtime/deepPipeline';
import { LspClient, serverBundle } from './lspClient';

/** TypeScript's diagnostic as the editor sends it with a code-action request. */
function asLsp(d: ts.Diagnostic): Diagnostic {
  const source = d.file!;
  return {
    range: {
      start: source.getLineAndCharacterOfPosition(d.start!),
      end: source.getLineAndCharacterOfPosition(d.start! + d.length!),
    },
    severity: 1,
    code: d.code,
    source: 'ts',
    message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  };
}

function applyEdits(text: string, actions: CodeAction[], uri: string): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) =>
    lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const edits = actions
    .flatMap((a) => a.edit!.changes![uri]!)
    .sort((a, b) => offset(b.range.start) - offset(a.range.start));
  for (const e of edits)
    text = text.slice(0, offset(e.range.start)) + e.newText + text.slice(offset(e.range.end));
  return text;
}

describe(
  "Plumb's fix for TypeScript's stack-depth error in a 60-layer pipeline",
  { timeout: 600_000 },
  () => {
    let dir: string;
    let files: string[];
    let client: LspClient;
    let reported: ts.Diagnostic[];

    before(async () => {
      assert.ok(fs.existsSync(serverBundle), 'run `npm run build` first');
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-depth-fix-'));
      files = writeDeepPipeline(dir, 'array');
      reported = [...strictDiagnostics(files).values()].flat().filter((d) => d.code === 2321);
      client = new LspClient();
      await client.initialize(dir);
      await client.waitFor('the first analysis', () => client.graphChanges.length > 0, 120_000);
    });

    after(async () => {
      await client.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const versions = new Map<string, number>();
    /** The file as it is on disk, sent to the server as the editor would (open, then changes). */
    const sync = async (file: string) => {
      const uri = pathToFileURL(file).href;
      const text = fs.readFileSync(file, 'utf8');
      const version = (versions.get(uri) ?? 0) + 1;
      versions.set(uri, version);
      if (version === 1)
        await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
          textDocument: { uri, languageId: 'typescript', version, text },
        });
      else
        await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
          textDocument: { uri, version },
          contentChanges: [{ text }],
        });
    };

    const actionsFor = async (file: string, diagnostics: Diagnostic[]) => {
      await sync(file);
      const uri = pathToFileURL(file).href;
      const all: CodeAction[] = [];
      for (const d of diagnostics)
        all.push(
          ...((await client.connection.sendRequest(CodeActionRequest.type, {
            textDocument: { uri },
            range: d.range,
            context: { diagnostics: [d] },
          })) as CodeAction[]),
        );
      return all;
    };

    it('offers `as const` on each TS2321; with the file-wide fix taken the pipeline checks clean', async () => {
      assert.ok(reported.length > 0, 'TypeScript reports TS2321 here (see task-types-depth.test.ts)');
      // Which arrays overflow depends on the order TypeScript meets them: fixing some can bring up
      // others, as a person sees after taking the fix. Each pass takes the fixes TypeScript asks for.
      let errors: string[] = [];
      for (let pass = 1; pass <= 3 && reported.length > 0; pass++) {
        const byFile = new Map<string, ts.Diagnostic[]>();
        for (const d of reported) {
          assert.equal(d.code, 2321, ts.flattenDiagnosticMessageText(d.messageText, ' '));
          byFile.set(d.file!.fileName, [...(byFile.get(d.file!.fileName) ?? []), d]);
        }
        for (const [fileName, list] of byFile) {
          const file = files.find((f) => path.resolve(f) === path.resolve(fileName))!;
          const diagnostics = list.map(asLsp);
          const titles = new Set((await actionsFor(file, diagnostics)).map((a) => a.title));
          assert.deepEqual([...titles].sort(), [
            'Return every requires() array in this file as a tuple (as const)',
            'Return the requirements as a tuple (as const)',
          ]);
          const actions = await actionsFor(file, diagnostics.slice(0, 1));
          assert.equal(actions.length, 2, 'the file-wide fix and the one for this array');
          assert.deepEqual(actions[0]!.diagnostics, diagnostics.slice(0, 1));
          assert.equal(actions[1]!.edit!.changes![pathToFileURL(file).href]!.length, 1);
          const fixed = applyEdits(
            fs.readFileSync(file, 'utf8'),
            actions.slice(0, 1),
            pathToFileURL(file).href,
          );
          assert.equal(
            fixed.match(/\)\] as const;/g)?.length,
            10,
            `every requires() of ${path.basename(file)}`,
          );
          fs.writeFileSync(file, fixed);
        }
        const byFileAfter = strictDiagnostics(files);
        errors = pipelineErrors(byFileAfter);
        reported = [...byFileAfter.values()]
          .flat()
          .filter((d) => path.basename(d.file!.fileName) !== 'wrong.ts');
      }
      assert.deepEqual(errors.slice(0, 5), [], `${errors.length} errors after three passes of fixes`);
    });

    it('offers nothing for a TS2321 that is not on an array requires() returns', async () => {
      const file = files[1]!;
      const text = fs.readFileSync(file, 'utf8');
      const at = text.indexOf('new LocalTarget(');
      const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest);
      const elsewhere: Diagnostic = {
        range: {
          start: source.getLineAndCharacterOfPosition(at),
          end: source.getLineAndCharacterOfPosition(text.indexOf(';', at)),
        },
        code: 2321,
        source: 'ts',
        message: 'Excessive stack depth comparing types',
      };
      assert.deepEqual(await actionsFor(file, [elsewhere]), []);
    });
  },
);
