// The Plumb language server (a built bundle) over stdio, as VS Code drives it with its default
// debounce: initialize, the first published graph (cold), then after each edit the code lenses of
// the edited document. Peak memory from /proc.
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import {
  CodeLensRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  InitializedNotification,
  InitializeRequest,
} from 'vscode-languageserver-protocol';
import { GraphChangedNotificationMethod } from '../../server/src/protocol';
import { percentiles } from './edits';
import type { GeneratedRepository, RepositoryEdit } from './generateRepository';
import { processCpuMs, processPeakRssMb, type ServerPhaseResult } from './processStats';

export async function lensPhase(
  bundle: string,
  repo: GeneratedRepository,
  edits: RepositoryEdit[],
): Promise<ServerPhaseResult & { lenses: number }> {
  const child = spawn(process.execPath, [bundle, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createProtocolConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  let graphChanged: () => void = () => undefined;
  const firstGraph = new Promise<void>((resolve) => (graphChanged = resolve));
  connection.onNotification(GraphChangedNotificationMethod, () => graphChanged());
  connection.listen();
  const uri = pathToFileURL(repo.root).href;
  const started = performance.now();
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: uri,
    workspaceFolders: [{ uri, name: 'repository' }],
    capabilities: {},
  });
  await connection.sendNotification(InitializedNotification.type, {});
  await firstGraph;
  const coldMs = performance.now() - started;
  const versions = new Map<string, number>();
  const lens: number[] = [];
  const pipelineLens: number[] = [];
  const cpu: number[] = [];
  let lenses = 0;
  for (const edit of edits) {
    const docUri = pathToFileURL(edit.file).href;
    const version = (versions.get(edit.file) ?? 0) + 1;
    versions.set(edit.file, version);
    const c0 = processCpuMs(child.pid!);
    const t0 = performance.now();
    if (version === 1) {
      await connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri: docUri, languageId: 'typescript', version, text: edit.text },
      });
    } else {
      await connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri: docUri, version },
        contentChanges: [{ text: edit.text }],
      });
    }
    const answer = await connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: docUri } });
    const ms = performance.now() - t0;
    lens.push(ms);
    if (edit.pipeline) {
      pipelineLens.push(ms);
      lenses += answer?.length ?? 0;
    }
    cpu.push(processCpuMs(child.pid!) - c0);
  }
  const peakRssMb = processPeakRssMb(child.pid!);
  await Promise.race([connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
  await connection.sendNotification('exit');
  connection.dispose();
  child.kill();
  return {
    coldMs,
    lens: percentiles(lens),
    extra: { pipelineLens: percentiles(pipelineLens) },
    cpu: percentiles(cpu),
    peakRssMb,
    lenses,
  };
}
