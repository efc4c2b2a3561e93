// Hover on a task class name or on `new X(...)` of a task: its kind, parameters, outputs, and the
// tasks directly up- and downstream with the transitive counts.
import type { Hover, Position } from 'vscode-languageserver/node';
import type { AnalysisResult } from './analysis/analysisResult';
import { containsPosition } from './analysis/lineIndex';
import type { TaskFamily } from './analysis/model';

const KIND_TEXT = {
  task: 'task',
  external: 'external data (ExternalTask)',
  wrapper: 'wrapper task',
} as const;
const MAX_LISTED = 12;

export function taskAtHover(result: AnalysisResult, uri: string, position: Position): TaskFamily | undefined {
  const own = result.familiesIn(uri).find((f) => containsPosition(f.cls.nameRange, position));
  if (own) return own;
  return result.linked.edges.find(
    (e) => e.file.uri === uri && containsPosition(e.reference.headRange, position),
  )?.to;
}

export function taskHover(result: AnalysisResult, uri: string, position: Position): Hover | null {
  const family = taskAtHover(result, uri, position);
  if (!family) return null;
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
  const outputs = (family.outputs ?? []).map(
    (o) => `\`${o.info.kind}\` \`${o.info.template ?? '(computed path)'}\``,
  );
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
  return { contents: { kind: 'markdown', value: lines.join('\n') }, range: family.cls.nameRange };
}
