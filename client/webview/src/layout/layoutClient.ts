// The view's side of layout: our own layered layout for graphs elk is too slow for, else elkjs in a
// worker started from a Blob (webviews cannot start a Worker from a resource URL). Only the newest
// request counts: a newer graph replaces a worker still busy with an older one (elk cannot be
// interrupted), and `onPending` tells the view while a layout is on its way.
import type { LayoutReply, LayoutRequest } from './workerMessages';
import { layeredLayout } from './layered';
import {
  fromElkGraph,
  type EdgeRouting,
  type LayoutInput,
  type LayoutResult,
  type Point,
  toElkGraph,
} from './layoutGraph';
import { seededInput, useElk } from './layoutPlan';

/** The worker bundle sits next to the view's own bundle: dist/webview/layout-worker.js. */
export function workerUrlNextTo(scriptSrc: string): string {
  return new URL('layout-worker.js', scriptSrc).toString();
}

/** A URL a Worker can start from: a Blob of the fetched bundle, else (dev page over http) the URL. */
async function startableUrl(url: string): Promise<string> {
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const source = await response.text();
    return URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  } catch {
    return url;
  }
}

export class LayoutClient {
  private readonly url: Promise<string>;
  private worker: Worker | undefined;
  /** The request the worker is busy with, if any. */
  private busy: number | undefined;
  private seq = 0;
  private waiting = new Map<number, (reply: LayoutReply | null) => void>();
  /** How many workers were replaced because a newer graph arrived (read by tests). */
  replacedWorkers = 0;
  onPending: (pending: boolean) => void = () => {};

  constructor(workerUrl: string) {
    this.url = startableUrl(workerUrl);
  }

  private workerFor(url: string): Worker {
    if (this.worker && this.busy !== undefined) {
      // elk runs synchronously inside its worker: the only way to drop a stale job is a new worker.
      this.worker.terminate();
      this.worker = undefined;
      this.replacedWorkers++;
      const stale = this.busy;
      this.busy = undefined;
      this.waiting.get(stale)?.(null);
      this.waiting.delete(stale);
    }
    if (!this.worker) {
      const worker = new Worker(url);
      worker.onmessage = (event: MessageEvent<LayoutReply>) => {
        if (this.busy === event.data.seq) this.busy = undefined;
        const resolve = this.waiting.get(event.data.seq);
        this.waiting.delete(event.data.seq);
        resolve?.(event.data);
      };
      this.worker = worker;
    }
    return this.worker;
  }

  /**
   * Lays out `input`, known nodes ordered as at `seed` (their previous centres); resolves to null
   * when a newer request was made before this one finished.
   */
  async layout(
    input: LayoutInput,
    seed?: Record<string, Point>,
    routing: EdgeRouting = 'orthogonal',
  ): Promise<LayoutResult | null> {
    const seq = ++this.seq;
    if (!useElk(input)) {
      this.onPending(false);
      return layeredLayout(input, { sweeps: 4, seed });
    }
    this.onPending(true);
    const url = await this.url;
    if (seq !== this.seq) return null;
    const worker = this.workerFor(url);
    const reply = await new Promise<LayoutReply | null>((resolve) => {
      this.waiting.set(seq, resolve);
      this.busy = seq;
      const graph = toElkGraph(seededInput(input, seed), routing);
      worker.postMessage({ seq, graph } satisfies LayoutRequest);
    });
    if (seq !== this.seq || !reply) return null;
    this.onPending(false);
    if (!reply.ok) throw new Error(`layout failed: ${reply.error}`);
    return fromElkGraph(reply.graph);
  }
}
