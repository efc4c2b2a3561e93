// `plumb graph` (the whole DAG below a root task, as JSON or DOT, with each task's status) and
// `plumb list` (the task families a file exports, with their parameters).
import { checkCommandLine, type CommandShape, type ParsedArgs, UsageError } from './cli-args';
import { describeFamily, loadPipeline, sourceLocator } from './cli-loader';
import { prepare } from './cli-run';
import { type GraphEdge, type GraphNode } from './events';
import { TaskGraph, toGraphNode } from './graph';
import { kebabCase } from './parameter';

const GRAPH_SHAPE: CommandShape = {
  usage:
    'usage: plumb graph <file-or-module> <TaskName> [--<param> value …] [<TaskName> [--<param> value …] …] [--format json|dot]',
  flags: ['format'],
  positionals: [2, Infinity],
  takesParams: true,
};

const LIST_SHAPE: CommandShape = {
  usage: 'usage: plumb list <file-or-module> [--json]',
  flags: ['json'],
  positionals: [1, 1],
};

export async function graphCommand(args: ParsedArgs): Promise<number> {
  const { roots } = prepare(args, GRAPH_SHAPE);
  const format = args.flags.get('format') ?? 'json';
  if (format !== 'json' && format !== 'dot')
    throw new UsageError(`--format takes json or dot, got '${format}'`);
  const root = roots[0]!;
  const graph = new TaskGraph();
  const found = await graph.discover(roots, { expand: true, expandComplete: true });
  const locate = sourceLocator();
  const nodes = found.nodes.map((n) => toGraphNode(n, locate(n.task.taskFamily)));
  const cycle = graph.findCycle();
  if (format === 'json') {
    process.stdout.write(
      `${JSON.stringify({ root: root.taskId, roots: roots.map((r) => r.taskId), nodes, edges: found.edges, ...(cycle ? { cycle } : {}) }, null, 2)}\n`,
    );
  } else {
    process.stdout.write(toDot(nodes, found.edges));
  }
  return 0;
}

const DOT_COLORS: Record<string, string> = {
  complete: 'palegreen',
  pending: 'lightgoldenrod1',
  'missing-external': 'lightpink',
  failed: 'tomato',
};

function toDot(nodes: GraphNode[], edges: GraphEdge[]): string {
  const q = (s: string) => JSON.stringify(s);
  const lines = [
    'digraph plumb {',
    '  rankdir=BT;',
    '  node [shape=box, style="rounded,filled", fontname="sans-serif"];',
  ];
  for (const n of nodes) lines.push(`  ${q(n.id)} [fillcolor=${q(DOT_COLORS[n.status] ?? 'white')}];`);
  for (const e of edges) lines.push(`  ${q(e.from)} -> ${q(e.to)}${e.dynamic ? ' [style=dashed]' : ''};`);
  lines.push('}', '');
  return lines.join('\n');
}

export function listCommand(args: ParsedArgs): number {
  checkCommandLine(args, LIST_SHAPE);
  const file = args.positionals[0]!;
  const pipeline = loadPipeline(file);
  const locate = sourceLocator();
  // In declaration order: the order the file reads in, not the module's (alphabetical) export order.
  const families = [...pipeline.families.values()]
    .map((cls) => ({ ...describeFamily(cls), source: locate(cls.name) }))
    .sort((a, b) => (a.source?.line ?? Infinity) - (b.source?.line ?? Infinity));
  if (args.flags.has('json')) {
    process.stdout.write(`${JSON.stringify(families, null, 2)}\n`);
    return 0;
  }
  for (const f of families) {
    const params = f.params
      .map((p) => `--${kebabCase(p.name)} <${p.type}>${p.required ? '' : ` (default ${p.default})`}`)
      .join(' ');
    process.stdout.write(
      `${f.family}${f.kind === 'task' ? '' : ` [${f.kind}]`}${params ? `  ${params}` : ''}\n`,
    );
  }
  return 0;
}
