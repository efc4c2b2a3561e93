// What a workspace holds on disk, for the crash-safety harness: every file and directory with its
// bytes, which tasks of a known graph are complete there, and how it differs from a reference.
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type GraphEdge, type GraphNode } from '../../../runtime/src/events';

/** Relative path → file bytes, or null for a directory (an empty one counts: a stray temp dir). */
export type Tree = Map<string, Buffer | null>;

export function readTree(dir: string): Tree {
  const tree: Tree = new Map();
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel))) {
      const child = rel ? `${rel}/${name}` : name;
      const full = path.join(dir, child);
      const stat = lstatSync(full);
      if (stat.isDirectory()) {
        tree.set(child, null);
        walk(child);
      } else tree.set(child, stat.isFile() ? readFileSync(full) : Buffer.from(`<not a file: ${full}>`));
    }
  };
  walk('');
  return tree;
}

const RUNTIME_DIR = '.plumb';

/**
 * `.plumb/` holds run logs and the transpile cache, whose names carry run ids, hashes and pids:
 * compared as shapes (digits and hex runs replaced), so a run log from another run is the same
 * entry while a leftover `x.js.1234.tmp` or lock file is a stray.
 */
function runtimeShape(rel: string): string {
  return rel
    .replace(/\d{8}T\d{6,9}Z-[0-9a-z]+/gi, '<run>')
    .replace(/[0-9a-f]{16,}/gi, '<hash>')
    .replace(/\d+/g, '<n>');
}

export interface TreeDiff {
  /** In the workspace, not in the reference: temp files, temp directories, anything extra. */
  stray: string[];
  /** In the reference, not in the workspace. */
  missing: string[];
  /** In both, with other bytes (or a file where the reference has a directory). */
  differing: string[];
}

/** Compares `tree` with `reference`: outside `.plumb/` path by path and byte for byte, inside it by shape. */
export function diffTrees(tree: Tree, reference: Tree): TreeDiff {
  const stray: string[] = [];
  const missing: string[] = [];
  const differing: string[] = [];
  const inRuntime = (rel: string) => rel === RUNTIME_DIR || rel.startsWith(`${RUNTIME_DIR}/`);
  const referenceShapes = new Set([...reference.keys()].filter(inRuntime).map(runtimeShape));
  for (const [rel, bytes] of tree) {
    if (inRuntime(rel)) {
      if (!referenceShapes.has(runtimeShape(rel))) stray.push(rel);
      continue;
    }
    if (!reference.has(rel)) stray.push(rel);
    else if (!sameEntry(bytes, reference.get(rel)!)) differing.push(rel);
  }
  for (const rel of reference.keys()) if (!inRuntime(rel) && !tree.has(rel)) missing.push(rel);
  return { stray: stray.sort(), missing: missing.sort(), differing: differing.sort() };
}

function sameEntry(a: Buffer | null, b: Buffer | null): boolean {
  return a === null || b === null ? a === b : a.equals(b);
}

/** A task graph as the reference run's graph events told it, with outputs relative to its root. */
export interface KnownGraph {
  nodes: Map<string, { kind: GraphNode['kind']; outputs: string[] }>;
  /** Task id → ids of its requirements. */
  requires: Map<string, string[]>;
}

export function knownGraph(nodes: GraphNode[], edges: GraphEdge[], root: string): KnownGraph {
  const graph: KnownGraph = { nodes: new Map(), requires: new Map() };
  for (const n of nodes) {
    graph.nodes.set(n.id, { kind: n.kind, outputs: n.outputs.map((o) => path.relative(root, o)) });
    graph.requires.set(n.id, []);
  }
  for (const e of edges) graph.requires.get(e.from)?.push(e.to);
  return graph;
}

/** Ids of the tasks complete in `tree`: every output exists (a wrapper: every requirement is complete). */
export function completeTasks(graph: KnownGraph, tree: Tree): Set<string> {
  const memo = new Map<string, boolean>();
  const complete = (id: string): boolean => {
    let known = memo.get(id);
    if (known !== undefined) return known;
    const node = graph.nodes.get(id)!;
    known =
      node.outputs.length > 0
        ? node.outputs.every((o) => tree.has(o))
        : node.kind === 'wrapper' && graph.requires.get(id)!.every(complete);
    memo.set(id, known);
    return known;
  };
  return new Set([...graph.nodes.keys()].filter(complete));
}

/**
 * Outputs present in `tree` that differ from the reference's: a partial or wrong file counted as
 * done, or a directory output missing an entry, holding an extra one or a different file.
 */
export function torn(graph: KnownGraph, tree: Tree, reference: Tree): string[] {
  const out: string[] = [];
  for (const node of graph.nodes.values()) {
    for (const o of node.outputs) {
      const bytes = tree.get(o);
      if (bytes === undefined) continue;
      if (!sameEntry(bytes, reference.get(o) ?? null) || (bytes === null && !sameSubtree(o, tree, reference)))
        out.push(o);
    }
  }
  return out;
}

function sameSubtree(dir: string, tree: Tree, reference: Tree): boolean {
  const under = (t: Tree) => [...t].filter(([rel]) => rel.startsWith(`${dir}/`));
  const mine = under(tree);
  const theirs = new Map(under(reference));
  return (
    mine.length === theirs.size && mine.every(([rel, b]) => theirs.has(rel) && sameEntry(b, theirs.get(rel)!))
  );
}

/** Outputs that appeared or changed between two looks at the same workspace. */
export function changedOutputs(graph: KnownGraph, before: Tree, after: Tree): string[] {
  const out: string[] = [];
  for (const node of graph.nodes.values()) {
    for (const o of node.outputs) {
      const a = before.get(o);
      const b = after.get(o);
      if (b !== undefined && (a === undefined || !sameEntry(a, b))) out.push(o);
    }
  }
  return out;
}

/** Temp files and directories the atomic writers leave while a write is in flight. */
export function tempEntries(tree: Tree): string[] {
  return [...tree.keys()].filter((rel) => /\.plumb-tmp|\.tmp$/.test(rel));
}
