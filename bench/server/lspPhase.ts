// The language server end to end: the built bundle (dist/server/server.js) as a child process over
// stdio, debounce off, timing from `initialized` / each didOpen-didChange to the `plumb/graphChanged`
// notification the server sends after publishing every diagnostic of that analysis, and on to the
// reply to the `plumb/graph` request a graph view then makes (the whole 2,000-node graph as JSON).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  InitializedNotification,
  InitializeRequest,
} from 'vscode-languageserver-protocol';
import { GraphChangedNotificationMethod, GraphRequestMethod } from '../../server/src/protocol';
import { editSequence, percentiles } from './edits';
import type { PhaseResult } from './phases';

/** The built server; PLUMB_SERVER_BUNDLE names another build (a commit's, for a before/after). */
export const serverBundle =
  process.env.PLUMB_SERVER_BUNDLE ?? path.resolve(import.meta.dirname, '../../dist/server/server.js');

export async function lspPhase(root: string, editCount: number): Promise<PhaseResult> {
  const child = spawn(process.execPath, [serverBundle, '--stdio'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, PLUMB_DEBOUNCE_MS: '0' },
  });
  const connection = createProtocolConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  let announce: (() => void) | undefined;
  connection.onNotification(GraphChangedNotificationMethod, () => announce?.());
  connection.listen();
  const graphChanged = () =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no plumb/graphChanged within 60 s')), 60_000);
      announce = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const uri = pathToFileURL(root).href;
  const started = performance.now();
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: uri,
    workspaceFolders: [{ uri, name: 'bench' }],
    capabilities: {},
  });
  const first = graphChanged();
  await connection.sendNotification(InitializedNotification.type, {});
  await first;
  const coldMs = performance.now() - started;
  const open = new Map<string, number>();
  const times: number[] = [];
  const cpu: number[] = [];
  const withGraph: number[] = [];
  for (const edit of editSequence(root, editCount)) {
    const docUri = pathToFileURL(edit.file).href;
    const version = (open.get(edit.file) ?? 0) + 1;
    const changed = graphChanged();
    const c0 = serverCpuMs(child.pid!);
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
    await changed;
    times.push(performance.now() - t0);
    cpu.push(serverCpuMs(child.pid!) - c0);
    // What a graph view open beside the editor then asks for, and waits on.
    await connection.sendRequest(GraphRequestMethod, {});
    withGraph.push(performance.now() - t0);
    open.set(edit.file, version);
  }
  const rss = await serverPeakRss(child.pid!);
  await Promise.race([connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
  await connection.sendNotification('exit');
  connection.dispose();
  child.kill();
  return {
    coldMs,
    edits: times.length ? percentiles(times) : undefined,
    editsCpu: cpu.length ? percentiles(cpu) : undefined,
    editsWithGraph: withGraph.length ? percentiles(withGraph) : undefined,
    maxRssMb: rss,
    heapMb: NaN,
  };
}

/** The server process's CPU time so far (user + system, all threads), from /proc: clock ticks of 10 ms. */
function serverCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** The server's peak resident set (VmHWM) from /proc, as it stands after the edits. */
async function serverPeakRss(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : NaN;
  } catch {
    return NaN;
  }
}
