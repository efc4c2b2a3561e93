// Hover on a task class name or on `new X(...)` of a task: its kind, parameters, outputs, and the
// tasks directly up- and downstream with the transitive counts.
import type { Hover, Position, Range } from 'vscode-languageserver/node';
import type { AnalysisResult } from './analysis/analysisResult';
import { containsPosition } from './analysis/lineIndex';
import type { TaskFamily } from './analysis/model';
import type { TaskOutputInfo } from './protocol';

const KIND_TEXT = {
  task: 'task',
  external: 'external data (ExternalTask)',
  wrapper: 'wrapper task',
} as const;
const MAX_LISTED = 12;

/** The task under the cursor and the range of what is hovered, always in the hovered document. */
export function taskAtHover(
  result: AnalysisResult,
  uri: string,
  position: Position,
): { family: TaskFamily; range: Range } | undefined {
  const own = result.familiesIn(uri).find((f) => containsPosition(f.cls.nameRange, position));
  if (own) return { family: own, range: own.cls.nameRange };
  // `new X(...)`: X's own range lies in X's file; the hover's is the `new X` written here.
  const edge = result.linked.edges.find(
    (e) => e.file.uri === uri && containsPosition(e.reference.headRange, position),
  );
  return edge && { family: edge.to, range: edge.reference.headRange };
}

export function taskHover(result: AnalysisResult, uri: string, position: Position): Hover | null {
  const hovered = taskAtHover(result, uri, position);
  if (!hovered) return null;
  const { family, range } = hovered;
  const g = result.graph;
  const i = g.idOf(family);
  const list = (names: string[]) => {
    const unique = [...new Set(names)];
    const shown = unique.slice(0, MAX_LISTED).join(', ');
    return unique.length > MAX_LISTED ? `${shown}, … (${unique.length - MAX_LISTED} more)` : shown || 'none';
  };
  const params = family.params.map(
    (p) =>
      `\`${p.name}: ${p.type}${p.choices ? ` (${p.choices.join(' | ')})` : ''}\`` +
      (p.defaultText !== undefined ? ` = \`${p.defaultText}\`` : ' (required)'),
  );
  const outputs = (family.outputs ?? []).map((o) => `\`${o.info.kind}\` ${outputPlace(o.info)}`);
  const lines = [
    `**${family.family}** — ${KIND_TEXT[family.kind]}${family.cls.abstract ? ', abstract' : ''}`,
    '',
    `**Parameters:** ${params.join(', ') || 'none'}`,
    '',
    `**Outputs:** ${outputs.join(', ') || (family.kind === 'wrapper' ? 'none (complete when its requirements are)' : 'none — never complete')}`,
    '',
    `**Requires** (${result.upstreamCount(family)} upstream in all): ${list(g.out[i]!.map((e) => e.to.family + (e.dynamic ? ' (dynamic)' : '')))}`,
    '',
    `**Required by** (${result.downstreamCount(family)} downstream in all): ${list(g.in[i]!.map((e) => e.from.family))}`,
  ];
  if (g.cyclic[i]) lines.push('', '⚠ Part of a dependency cycle.');
  if (result.missing.has(family)) lines.push('', '⚠ No file in the workspace matches its output.');
  return { contents: { kind: 'markdown', value: lines.join('\n') }, range };
}

/** Where an output writes: its path template, or a database target's table (databaseTargets.ts). */
function outputPlace(info: TaskOutputInfo): string {
  if (info.template !== undefined) return `\`${info.template}\``;
  if (info.table === undefined) return '(computed path)';
  // '(computed)' is the analysis' word for a table name made at run time.
  return info.table === '(computed)' ? 'table (computed name)' : `table \`${info.table}\``;
}
