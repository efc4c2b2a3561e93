// Messages between a view and the layout worker: a request carries a sequence number so the view
// can drop answers to requests it has since superseded.
import type { ElkNode } from 'elkjs/lib/elk-api';

export interface LayoutRequest {
  seq: number;
  graph: ElkNode;
}

export type LayoutReply =
  { seq: number; ok: true; graph: ElkNode } | { seq: number; ok: false; error: string };
