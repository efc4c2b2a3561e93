// What a task family's node shows, decided from the server's graph: pure, no DOM.
import type { GraphNodeInfo, TaskParamInfo } from '../../../../server/src/protocol';
import { outputLine, type OutputLine } from './tableOutput';

export interface ParamLine {
  name: string;
  /** The value it will get (plumb.toml, else the default), or undefined when required and unset. */
  value: string | undefined;
  type: string;
}

export interface NodeContent {
  family: string;
  icon: string;
  kindLabel: string;
  params: ParamLine[];
  /** How many more parameters there are than shown. */
  moreParams: number;
  output: string | undefined;
  /** Codicon beside the output: a file, or a database table (tableOutput.ts). */
  outputIcon: OutputLine['icon'];
  upstream: number;
  downstream: number;
  inCycle: boolean;
  missingExternal: boolean;
}

/** At most this many parameters on a node: the ones that need a value first. */
export const KEY_PARAMS = 3;

const KIND_ICONS: Record<string, string> = { task: 'symbol-class', external: 'database', wrapper: 'package' };

/** Required parameters without a value come first (they will ask), then by declaration order. */
export function keyParams(params: TaskParamInfo[], limit = KEY_PARAMS): ParamLine[] {
  const lines = params.map((p, index) => ({
    index,
    unset: p.required && p.configText === undefined && p.defaultText === undefined,
    line: { name: p.name, value: p.configText ?? p.defaultText, type: p.type },
  }));
  lines.sort((a, b) => Number(b.unset) - Number(a.unset) || a.index - b.index);
  return lines.slice(0, limit).map((l) => l.line);
}

export function describeNode(node: GraphNodeInfo): NodeContent {
  const params = keyParams(node.params);
  const output = outputLine(node.outputs);
  return {
    family: node.family,
    icon: node.missingExternal ? 'warning' : (KIND_ICONS[node.kind] ?? 'symbol-class'),
    kindLabel: node.missingExternal
      ? 'external (missing)'
      : node.abstract
        ? `abstract ${node.kind}`
        : node.kind,
    params,
    moreParams: node.params.length - params.length,
    output: output.text,
    outputIcon: output.icon,
    upstream: node.upstreamCount,
    downstream: node.downstreamCount,
    inCycle: node.inCycle,
    missingExternal: node.missingExternal,
  };
}
