// An analysis that keeps failing after its retries is said, over a real LSP connection, in the window
// and on the file that changed first, beside that file's last diagnostics; an analysis that succeeds
// again clears it. The fault is injected into the analysis (no workspace makes ours throw today).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createConnection } from 'vscode-languageserver/node';
import {
  createProtocolConnection,
  MessageType,
  PublishDiagnosticsNotification,
  ShowMessageNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ShowMessageParams,
} from 'vscode-languageserver-protocol/node';
import { WorkspaceAnalysis } from '../../server/src/analysis/workspaceAnalysis';
import { ANALYSIS_FAILED_CODE } from '../../server/src/analysisFailureNotice';
import { AnalysisScheduler } from '../../server/src/analysisScheduler';
import { DiagnosticsPublisher } from '../../server/src/diagnosticsPublisher';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, value: () => T | undefined | false): Promise<T> {
  for (let i = 0; i < 250; i++) {
    const v = value();
    if (v) return v;
    await pause(20);
  }
  throw new Error(`timed out waiting for ${what}`);
}

it('says in the window and on the changed file that the analysis keeps failing, until it succeeds', async () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-failure-notice-')));
  const file = path.join(root, 'raw.ts');
  // Its data is missing: the file has a diagnostic of its own.
  fs.writeFileSync(
    file,
    `import { ExternalTask, LocalTarget } from 'plumb-pipelines';\n` +
      `export class Raw extends ExternalTask {\n  output() { return new LocalTarget('data/raw.tsv'); }\n}\n`,
  );
  const analysis = new WorkspaceAnalysis([root]);
  analysis.scan();
  const analyse = analysis.analyse.bind(analysis);
  let broken = false;
  analysis.analyse = () => {
    if (broken) throw new TypeError('injected fault');
    return analyse();
  };

  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const server = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  const client = createProtocolConnection(
    new StreamMessageReader(toClient),
    new StreamMessageWriter(toServer),
  );
  const messages: ShowMessageParams[] = [];
  let diagnostics: Diagnostic[] = [];
  client.onNotification(ShowMessageNotification.type, (p) => void messages.push(p));
  client.onNotification(PublishDiagnosticsNotification.type, (p) => {
    if (p.uri === pathToFileURL(file).href) diagnostics = p.diagnostics;
  });
  server.listen();
  client.listen();
  const scheduler = new AnalysisScheduler(analysis, new DiagnosticsPublisher(server), 5, () => {}, [10, 20]);
  const codes = () => diagnostics.map((d) => d.code).sort();
  try {
    scheduler.changed();
    await until('the file diagnostics', () => diagnostics.length > 0);
    assert.deepEqual(codes(), ['plumb.missing-external-data']);

    broken = true;
    scheduler.changed(file);
    const warning = await until('the warning', () => messages.find((m) => m.type === MessageType.Warning));
    assert.match(
      warning.message,
      /could not analyse the workspace since raw\.ts .*TypeError: injected fault/,
    );
    await until('the notice on the file', () => codes().includes(ANALYSIS_FAILED_CODE));
    assert.deepEqual(codes(), [ANALYSIS_FAILED_CODE, 'plumb.missing-external-data']);
    assert.match(String(diagnostics.find((d) => d.code === ANALYSIS_FAILED_CODE)?.message), /injected fault/);

    broken = false;
    scheduler.changed(file);
    await until('the notice cleared', () => !codes().includes(ANALYSIS_FAILED_CODE));
    assert.deepEqual(codes(), ['plumb.missing-external-data']);
    await until('the all-clear', () => messages.some((m) => m.type === MessageType.Info));
    assert.equal(messages.filter((m) => m.type === MessageType.Warning).length, 1, 'warned once');
  } finally {
    scheduler.dispose();
    client.dispose();
    server.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
