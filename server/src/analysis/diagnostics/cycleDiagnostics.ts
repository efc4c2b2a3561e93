// Cycles: an error on every requirement edge inside a strongly connected component, naming one
// whole cycle through that edge (`A → B → C → A`) and pointing at each `new …` along it. The
// error sits on the edge's own `new …`; the related information lists the cycle in its order.
import type { TaskEdge } from '../model';
import type { TaskGraph } from '../taskGraph';
import { DiagnosticCodes, type PipelineDiagnostic } from './pipelineDiagnostic';

/**
 * A cycle through `edge`, started at its alphabetically first family: the errors on the edges of
 * one cycle then name it identically (`Sessions → Users → Sessions` on both edges of a pair).
 */
export function cycleThrough(graph: TaskGraph, edge: TaskEdge): TaskEdge[] {
  if (edge.from === edge.to) return [edge];
  const back = graph.pathBetween(graph.idOf(edge.to), graph.idOf(edge.from));
  return back ? startAtFirstName([edge, ...back]) : [edge];
}

function startAtFirstName(cycle: TaskEdge[]): TaskEdge[] {
  let first = 0;
  cycle.forEach((e, i) => {
    const a = e.from.family;
    const b = cycle[first]!.from.family;
    if (a < b || (a === b && e.from.id < cycle[first]!.from.id)) first = i;
  });
  return [...cycle.slice(first), ...cycle.slice(0, first)];
}

export function cycleText(cycle: TaskEdge[]): string {
  return [...cycle.map((e) => e.from.family), cycle[0]!.from.family].join(' → ');
}

export function cycleDiagnostics(graph: TaskGraph): PipelineDiagnostic[] {
  const out: PipelineDiagnostic[] = [];
  for (const edge of graph.edges) {
    if (!graph.edgeInCycle(edge)) continue;
    const cycle = cycleThrough(graph, edge);
    out.push({
      uri: edge.file.uri,
      range: edge.reference.headRange,
      severity: 'error',
      code: DiagnosticCodes.cycle,
      message: `Dependency cycle: ${cycleText(cycle)}. None of these tasks can ever run.`,
      related: cycle.map((e) => ({
        location: { uri: e.file.uri, range: e.reference.range },
        message: `${e.from.family} requires ${e.to.family}${e.dynamic ? ' (yielded from run())' : ''}`,
      })),
    });
  }
  return out;
}

/** One cycle per cyclic component, as family ids, for the graph view. */
export function graphCycles(graph: TaskGraph): string[][] {
  const done = new Set<number>();
  const cycles: string[][] = [];
  for (const edge of graph.edges) {
    const component = graph.component[graph.idOf(edge.from)]!;
    if (done.has(component) || !graph.edgeInCycle(edge)) continue;
    done.add(component);
    cycles.push(cycleThrough(graph, edge).map((e) => e.from.id));
  }
  return cycles;
}
