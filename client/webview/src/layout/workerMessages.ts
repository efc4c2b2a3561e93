// Messages between a view and the layout worker: a request carries a sequence number so the view
// can drop answers to requests it has since superseded; `ready` says the worker has loaded elk.
import type { ElkNode } from 'elkjs/lib/elk-api';

export interface LayoutRequest {
  seq: number;
  graph: ElkNode;
}

export type LayoutReply =
  { seq: number; ok: true; graph: ElkNode } | { seq: number; ok: false; error: string };

/** Posted once, when the worker's script (elk, 1.5 MB) has loaded: jobs sent before would queue behind it. */
export interface WorkerReady {
  ready: true;
}

export type WorkerMessage = LayoutReply | WorkerReady;
