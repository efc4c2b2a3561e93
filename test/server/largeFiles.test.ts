// Very large files over real LSP: a generated 5 MB file of task classes gets its one "not analysed"
// diagnostic at once and the server keeps answering; a large file under the cap gets its code lenses
// unresolved (a range and a key each) and the editor resolves those it shows.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  CodeLensRequest,
  CodeLensResolveRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  HoverRequest,
} from 'vscode-languageserver-protocol';
import { EAGER_LENS_LIMIT } from '../../server/src/lazyLenses';
import { ClientCommands } from '../../server/src/protocol';
import { copyFixture } from './fixtureWorkspace';
import { LspClient, serverBundle } from './lspClient';

/** Task classes, each requiring the one before, up to about `bytes` of source. */
function generatedTasks(bytes: number): string {
  const parts = ["import { LocalTarget, Task, param } from 'plumb-pipelines';\n"];
  let size = parts[0]!.length;
  for (let i = 0; size < bytes; i++) {
    const cls =
      `export class T${i} extends Task.with({ date: param.date(), limit: param.int({ default: ${i} }) }) {\n` +
      `  requires() {\n    return ${i > 0 ? `new T${i - 1}({ date: this.date })` : '[]'};\n  }\n` +
      `  output() {\n    return new LocalTarget(\`data/t${i}_\${this.date}.tsv\`);\n  }\n}\n`;
    parts.push(cls);
    size += cls.length;
  }
  return parts.join('');
}

describe('language server with very large files', { timeout: 120_000 }, () => {
  let client: LspClient;
  let root: string;
  let dispose: () => void;

  before(async () => {
    assert.ok(fs.existsSync(serverBundle), 'run `npm run build` first');
    ({ root, dispose } = copyFixture('hostile'));
    client = new LspClient();
    await client.initialize(root);
    await client.waitFor('the first analysis', () => client.graphChanges.length > 0);
  });

  after(async () => {
    await client.stop();
    dispose();
  });

  it('gives a 5 MB file of task classes its diagnostic at once and keeps answering', async () => {
    const big = path.join(root, 'generated.ts');
    const text = generatedTasks(5 * 1024 * 1024);
    const uri = pathToFileURL(big).href;
    const started = Date.now();
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'typescript', version: 1, text },
    });
    const [refused] = await client.waitFor('the too-large diagnostic', () => {
      const list = client.diagnosticsOf(big);
      return list.length > 0 && list;
    });
    const diagnosedMs = Date.now() - started;
    assert.equal(refused!.code, 'plumb.unanalysable-file');
    assert.match(LspClient.message(refused!), /too large to analyse \(5 MB; the limit is 1 MB\)/);
    // Nothing of the file is parsed: what is left is sending 5 MB over the pipe (generous for load).
    assert.ok(diagnosedMs < 5000, `diagnosed in ${diagnosedMs} ms`);

    // An edit of the big file, then at once a hover elsewhere: answered without waiting on the file.
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: text.replace('default: 0 }', 'default: 1 }') }],
    });
    const pipeline = path.join(root, 'pipeline.ts');
    const line = fs
      .readFileSync(pipeline, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes('class Clean'));
    const asked = Date.now();
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: pathToFileURL(pipeline).href },
      position: { line, character: 15 },
    });
    const hoverMs = Date.now() - asked;
    assert.ok(hover, 'hover on Clean');
    assert.ok(hoverMs < 1500, `hover answered in ${hoverMs} ms`);
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
    assert.deepEqual(lenses, []);
  });

  it('sends the lenses of a large file unresolved and resolves the ones asked for', async () => {
    const file = path.join(root, 'many.ts');
    const uri = pathToFileURL(file).href;
    const text = generatedTasks(300 * 1024);
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'typescript', version: 1, text },
    });
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }))!;
    const classes = text.match(/^export class/gm)!.length;
    assert.ok(lenses.length > EAGER_LENS_LIMIT, `${lenses.length} lenses`);
    assert.equal(lenses.length % classes, 0, 'as many lenses for each class');
    assert.ok(lenses.every((l) => l.command === undefined && l.data !== undefined));
    // Less than 120 bytes a lens: a range and a key.
    assert.ok(JSON.stringify(lenses).length < lenses.length * 120);

    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.startsWith('export class T7 '));
    const forT7 = lenses.filter((l) => l.range.start.line === at);
    assert.equal(forT7.length, lenses.length / classes);
    const resolved = await Promise.all(
      forT7.map((l) => client.connection.sendRequest(CodeLensResolveRequest.type, l)),
    );
    const titles = resolved.map((l) => l.command!.title);
    assert.deepEqual(titles.slice(0, 3), ['▶ Run', 'Debug', 'Run this task only']);
    assert.ok(titles.includes('Graph'));
    assert.equal(resolved[0]!.command!.command, ClientCommands.run);
    assert.deepEqual(resolved[0]!.command!.arguments, [{ uri, family: 'T7' }]);
    assert.match(titles.at(-1)!, /^↑ 7 upstream · ↓ \d+ downstream$/);
  });
});
