// The view's side of the layout worker: starts it from a Blob (webviews cannot start a Worker from a
// resource URL) and keeps only the newest answer, so a burst of edits never paints a stale layout.
import type { LayoutReply, LayoutRequest } from './workerMessages';
import {
  fromElkGraph,
  type EdgeRouting,
  type LayoutInput,
  type LayoutResult,
  toElkGraph,
} from './layoutGraph';

/** The worker bundle sits next to the view's own bundle: dist/webview/layout-worker.js. */
export function workerUrlNextTo(scriptSrc: string): string {
  return new URL('layout-worker.js', scriptSrc).toString();
}

async function startWorker(url: string): Promise<Worker> {
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const source = await response.text();
    return new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
  } catch {
    // Outside VS Code (dev page over http) a direct worker works too.
    return new Worker(url);
  }
}

export class LayoutClient {
  private worker: Promise<Worker>;
  private seq = 0;
  private waiting = new Map<number, (reply: LayoutReply) => void>();

  constructor(workerUrl: string) {
    this.worker = startWorker(workerUrl).then((worker) => {
      worker.onmessage = (event: MessageEvent<LayoutReply>) => {
        const resolve = this.waiting.get(event.data.seq);
        this.waiting.delete(event.data.seq);
        resolve?.(event.data);
      };
      return worker;
    });
  }

  /** Lays out `input`; resolves to null when a newer request was made before this one finished. */
  async layout(input: LayoutInput, routing: EdgeRouting = 'orthogonal'): Promise<LayoutResult | null> {
    const seq = ++this.seq;
    const worker = await this.worker;
    const reply = await new Promise<LayoutReply>((resolve) => {
      this.waiting.set(seq, resolve);
      worker.postMessage({ seq, graph: toElkGraph(input, routing) } satisfies LayoutRequest);
    });
    if (seq !== this.seq) return null;
    if (!reply.ok) throw new Error(`layout failed: ${reply.error}`);
    return fromElkGraph(reply.graph);
  }
}
