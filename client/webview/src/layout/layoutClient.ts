// The view's side of layout: our own layered layout, or elkjs (where the setting chose it: layoutPlan) in a
// worker started from a Blob (webviews cannot start a Worker from a resource URL). Only the newest
// request counts: a newer graph replaces a worker still busy with an older one (elk cannot be
// interrupted), or the job still waiting while the worker loads; `onPending` tells the view while a
// layout is on its way.
import type { ElkNode } from 'elkjs/lib/elk-api';
import type { LayoutReply, LayoutRequest, WorkerMessage } from './workerMessages';
import { layeredLayout } from './layered';
import { fromElkGraph, type LayoutInput, type LayoutResult, type Point, toElkGraph } from './layoutGraph';
import { chooseEngine, type Engine, seededInput } from './layoutPlan';

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

/** A layout job for the worker, and whom to tell its answer (null: superseded). */
interface Job {
  seq: number;
  graph: ElkNode;
  resolve: (reply: LayoutReply | null) => void;
}

export class LayoutClient {
  /** The worker's bundle, fetched on the first graph elk lays out (not with the page: see below). */
  private url: Promise<string> | undefined;
  private worker: Worker | undefined;
  /**
   * False until the worker has loaded elk (seconds on a loaded machine). Meanwhile only the newest
   * job waits: replacing a worker that is still loading would only start the loading over (each
   * graph of a live run did, and the final layout came seconds after the run, "Laying out…" meanwhile).
   */
  private workerReady = false;
  /** The job the worker is busy with, once ready. */
  private running: Job | undefined;
  /** The newest job, waiting for the worker to load. */
  private queued: Job | undefined;
  private seq = 0;
  /** How many workers were started, and how many replaced because a newer graph arrived (read by tests). */
  workersStarted = 0;
  replacedWorkers = 0;
  onPending: (pending: boolean) => void = () => {};

  constructor(private readonly workerUrl: string) {}

  private startWorker(url: string): void {
    const worker = new Worker(url);
    this.worker = worker;
    this.workerReady = false;
    this.workersStarted++;
    worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
      if (worker !== this.worker) return;
      if ('ready' in event.data) {
        this.workerReady = true;
        const job = this.queued;
        this.queued = undefined;
        if (job) this.post(job);
        return;
      }
      if (this.running?.seq !== event.data.seq) return;
      const job = this.running;
      this.running = undefined;
      job.resolve(event.data);
    };
    // A worker that cannot load (or elk failing outside its promise) answers its jobs with a failure:
    // the view then takes its own layout instead of waiting for ever.
    worker.onerror = (event) => {
      event.preventDefault();
      if (worker !== this.worker) return;
      const error = event.message || 'the layout worker failed';
      for (const job of [this.running, this.queued]) job?.resolve({ seq: job.seq, ok: false, error });
      this.running = this.queued = undefined;
      worker.terminate();
      this.worker = undefined;
    };
  }

  private post(job: Job): void {
    this.running = job;
    this.worker!.postMessage({ seq: job.seq, graph: job.graph } satisfies LayoutRequest);
  }

  /** Hands `job` to the worker: at once when it is idle, else after the newer-replaces-older rules. */
  private submit(url: string, job: Job): void {
    if (this.worker && this.running) {
      // elk runs synchronously inside its worker: the only way to drop a stale job is a new worker.
      this.worker.terminate();
      this.worker = undefined;
      this.replacedWorkers++;
      this.running.resolve(null);
      this.running = undefined;
    }
    this.dropQueued();
    if (!this.worker) this.startWorker(url);
    if (this.workerReady) this.post(job);
    else this.queued = job;
  }

  private dropQueued(): void {
    this.queued?.resolve(null);
    this.queued = undefined;
  }

  /**
   * Lays out `input` with `engine`, known nodes ordered as at `seed` (their previous centres);
   * resolves to null when a newer request was made before this one finished. Where elk fails, our
   * own layout answers.
   */
  async layout(
    input: LayoutInput,
    seed?: Record<string, Point>,
    engine: Engine = chooseEngine(input, seed),
  ): Promise<LayoutResult | null> {
    const seq = ++this.seq;
    if (engine === 'own') {
      // A job still waiting for elk to load is stale now; one elk is running finishes unread.
      this.dropQueued();
      this.onPending(false);
      return layeredLayout(input, { sweeps: 4, seed });
    }
    this.onPending(true);
    try {
      // Fetched and started on first need, not with the page: a view that never meets a graph for
      // elk never loads its 1.5 MB (in a real VS Code, 8 s of fetching and 6.5 s of parsing at load 12),
      // and its loading slowed the drawing of graphs too big for elk (1,000 nodes 0.58 → 0.94 s).
      const url = await (this.url ??= startableUrl(this.workerUrl));
      if (seq !== this.seq) return null;
      const graph = toElkGraph(seededInput(input, seed));
      const reply = await new Promise<LayoutReply | null>((resolve) =>
        this.submit(url, { seq, graph, resolve }),
      );
      if (seq !== this.seq || !reply) return null;
      if (reply.ok) return fromElkGraph(reply.graph);
      console.warn(`elk could not lay out the graph (${reply.error}): using the layered layout`);
      return layeredLayout(input, { sweeps: 4, seed });
    } finally {
      if (seq === this.seq) this.onPending(false);
    }
  }
}
