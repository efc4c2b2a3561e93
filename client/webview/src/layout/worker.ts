// Lays out graphs with elkjs off the webview's main thread: one request in, one laid-out graph out.
import ELK from 'elkjs/lib/elk.bundled.js';
import type { LayoutReply, LayoutRequest, WorkerMessage } from './workerMessages';

// This project's lib is DOM (the views), not WebWorker: name only what the worker uses of its scope.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<LayoutRequest>) => void) | null;
  postMessage(message: WorkerMessage): void;
};

// elk.bundled.js runs its layout synchronously inside this worker (its own "fake worker"). Loaded in
// a worker scope it also installs its own self.onmessage; ours replaces it, as it is assigned after
// the import has run.
const elk = new ELK();

scope.onmessage = (event) => {
  const { seq, graph } = event.data;
  elk.layout(graph).then(
    (laidOut) => scope.postMessage({ seq, ok: true, graph: laidOut } satisfies LayoutReply),
    (error: unknown) =>
      scope.postMessage({
        seq,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      } satisfies LayoutReply),
  );
};

// Loaded: the view sends its newest job now (it holds back the jobs superseded while elk loaded).
scope.postMessage({ ready: true });
