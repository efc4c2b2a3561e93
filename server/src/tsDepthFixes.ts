// A fix on TypeScript's own "Excessive stack depth comparing types" (TS2321) where it falls on the
// array a requires() returns: return it as a tuple (`as const`), that one or every such array of the
// file. The editor sends TypeScript's diagnostics with each code-action request; Plumb publishes no
// second error for this one. Which arrays overflow depends on the order TypeScript checks them in,
// so fixing only the reported ones can bring up the next: the file-wide fix is the one to take.
import ts from 'typescript';
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { requirementArrayAt, requirementArrays } from './analysis/requirementArrays';

export const TS_STACK_DEPTH_CODE = 2321;

export function isTsDepthDiagnostic(d: Diagnostic): boolean {
  return (d.source === 'ts' || d.source === 'typescript') && Number(d.code) === TS_STACK_DEPTH_CODE;
}

export function tsDepthFixes(document: TextDocument, diagnostics: Diagnostic[]): CodeAction[] {
  const ours = diagnostics.filter(isTsDepthDiagnostic);
  if (ours.length === 0) return [];
  const source = ts.createSourceFile(document.uri, document.getText(), ts.ScriptTarget.Latest, true);
  const asTuple = (array: ts.ArrayLiteralExpression): TextEdit => {
    const at = document.positionAt(array.getEnd());
    return { range: { start: at, end: at }, newText: ' as const' };
  };
  const fixed = new Map<ts.ArrayLiteralExpression, Diagnostic[]>();
  for (const d of ours) {
    const array = requirementArrayAt(
      source,
      document.offsetAt(d.range.start),
      document.offsetAt(d.range.end),
    );
    if (array) fixed.set(array, [...(fixed.get(array) ?? []), d]);
  }
  if (fixed.size === 0) return [];
  const actions: CodeAction[] = [...fixed].map(([array, matched]) => ({
    title: 'Return the requirements as a tuple (as const)',
    kind: CodeActionKind.QuickFix,
    diagnostics: matched,
    edit: { changes: { [document.uri]: [asTuple(array)] } },
  }));
  const all = requirementArrays(source);
  if (all.length > 1)
    actions.unshift({
      title: 'Return every requires() array in this file as a tuple (as const)',
      kind: CodeActionKind.QuickFix,
      diagnostics: [...fixed.values()].flat(),
      edit: { changes: { [document.uri]: all.map(asTuple) } },
      isPreferred: true,
    });
  return actions;
}
