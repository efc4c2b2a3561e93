// Plumb's parameter fixes on TypeScript's own diagnostics. With the runtime's types installed the
// checker reports a missing or misspelt parameter of `new X({...})` itself (and Plumb publishes no
// second error for it); the editor sends those diagnostics with each code-action request, and these
// are the fixes for the ones that fall on a `new X(...)` of a task.
import { CodeActionKind, type CodeAction, type Diagnostic, type Range } from 'vscode-languageserver/node';
import type { AnalysisResult } from './analysis/analysisResult';
import { parameterFixes } from './analysis/diagnostics/referenceDiagnostics';

/**
 * TypeScript's codes for a wrong argument object: not assignable (2345), unknown property (2353,
 * 2561 "did you mean"), missing properties (2739, 2740, 2741), argument count (2554), no overload (2769).
 */
export const TS_PARAMETER_CODES = new Set([2345, 2353, 2554, 2561, 2739, 2740, 2741, 2769]);

export function isTsParameterDiagnostic(d: Diagnostic): boolean {
  return (d.source === 'ts' || d.source === 'typescript') && TS_PARAMETER_CODES.has(Number(d.code));
}

export function tsDiagnosticFixes(
  result: AnalysisResult,
  uri: string,
  diagnostics: Diagnostic[],
): CodeAction[] {
  const ours = diagnostics.filter(isTsParameterDiagnostic);
  if (ours.length === 0) return [];
  const actions: CodeAction[] = [];
  for (const { range, fix } of parameterFixes(result.linked.edges, uri)) {
    const matched = ours.filter((d) => overlaps(d.range, range));
    if (matched.length === 0) continue;
    actions.push({
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: matched,
      edit: { changes: { [uri]: fix.edits.map((e) => ({ range: e.range, newText: e.newText })) } },
      isPreferred: true,
    });
  }
  return actions;
}

function before(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function overlaps(a: Range, b: Range): boolean {
  return !before(a.end, b.start) && !before(b.end, a.start);
}
