// The graph event's JSON, written straight from the graph's nodes: byte for byte
// JSON.stringify({ type: 'graph', nodes: nodes.map(toGraphNode), edges }), without building a
// GraphNode and an output list per task only to serialise them (the run log takes every graph
// event; an object is built only when a listener asks for one).
import { type GraphEdge, type GraphNode } from './events';
import { graphStatus, idJsonOf, outputPathsFor, type TaskNode } from './graph';
import { type ParamDef } from './parameter';
import { paramSchemaOf, Task } from './task';

/** A family's source location, if known (as toGraphNode's callers pass it). */
export type SourceOf = ((family: string) => GraphNode['source'] | undefined) | undefined;

/** What every task of a family shares, serialised once per event. */
interface FamilyJson {
  /** `"family":"…","kind":` */
  head: string;
  /** `,"source":{…}`, or '' when there is none (toGraphNode leaves the key out). */
  tail: string;
  /** Its significant parameters as `"name":` and definition, in `params`' order; undefined: ask `params`. */
  params: ParamWriter[] | undefined;
}

/** A significant parameter: `"name":`, its name, its definition. */
type ParamWriter = [key: string, name: string, def: ParamDef<unknown>];

const baseParams = Object.getOwnPropertyDescriptor(Task.prototype, 'params')!.get;

/** What Task's `params` getter reads, for a class that keeps that getter (else undefined). */
function paramWriters(task: Task): ParamWriter[] | undefined {
  let proto: object | null = Object.getPrototypeOf(task) as object;
  while (proto && !Object.hasOwn(proto, 'params')) proto = Object.getPrototypeOf(proto) as object | null;
  if (!proto || Object.getOwnPropertyDescriptor(proto, 'params')!.get !== baseParams) return undefined;
  const writers: ParamWriter[] = [];
  for (const [name, def] of Object.entries(paramSchemaOf(task.constructor))) {
    if (name === '__proto__') return undefined; // an object's own key only when set another way
    if (def.significant) writers.push([`${JSON.stringify(name)}:`, name, def]);
  }
  return writers;
}

function paramsJson(task: Task, writers: ParamWriter[] | undefined): string {
  if (writers === undefined) return JSON.stringify(task.params);
  let json = '{';
  for (let i = 0; i < writers.length; i++) {
    const w = writers[i]!; // indexed, not destructured: no iterator per parameter before V8 optimises
    if (i > 0) json += ',';
    json += w[0] + JSON.stringify(w[2].format((task as unknown as Record<string, unknown>)[w[1]]));
  }
  return `${json}}`;
}

/** The JSON of one graph event holding `nodes` and `edges`. */
export function graphEventJson(
  nodes: readonly TaskNode[],
  edges: readonly GraphEdge[],
  sourceOf: SourceOf,
): string {
  // Keyed by class: two classes may share a name (the graph then reports the conflict).
  const families = new Map<unknown, FamilyJson>();
  let json = '{"type":"graph","nodes":[';
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    const task = node.task;
    const family = task.taskFamily;
    let shared = families.get(task.constructor);
    if (shared === undefined) {
      const source = sourceOf?.(family);
      shared = {
        head: `"family":${JSON.stringify(family)},"kind":`,
        tail: source ? `,"source":${JSON.stringify(source)}` : '',
        params: paramWriters(task),
      };
      families.set(task.constructor, shared);
    }
    const outputs = outputsJson(node); // first, as toGraphNode asks (output() is user code)
    if (i > 0) json += ',';
    json += `{"id":${idJsonOf(node)},${shared.head}"${node.kind}","params":${paramsJson(task, shared.params)},"status":"${graphStatus(node.state)}","outputs":${outputs}${shared.tail}}`;
  }
  return `${json}],"edges":${JSON.stringify(edges)}}`;
}

/** The node's output paths as a JSON array: from its kept targets, with no list of strings between. */
function outputsJson(node: TaskNode): string {
  const targets = node.outputs;
  if (targets === undefined) return JSON.stringify(outputPathsFor(node));
  let json = '[';
  for (let i = 0; i < targets.length; i++) {
    if (i > 0) json += ',';
    json += JSON.stringify(String(targets[i]));
  }
  return `${json}]`;
}
