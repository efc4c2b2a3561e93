// Turns the analysis' diagnostics into LSP diagnostics (fixes travel in `data`) and back into quick
// fixes when the client asks for code actions.
import {
  CodeActionKind,
  DiagnosticSeverity,
  type CodeAction,
  type Diagnostic,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { PipelineDiagnostic, QuickFix } from './analysis/diagnostics/pipelineDiagnostic';

const SEVERITY = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
} as const;

export function toLspDiagnostic(d: PipelineDiagnostic): Diagnostic {
  const diagnostic: Diagnostic = {
    range: d.range,
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'plumb',
    message: d.message,
  };
  if (d.related?.length) {
    diagnostic.relatedInformation = d.related.map((r) => ({ location: r.location, message: r.message }));
  }
  if (d.fixes?.length) diagnostic.data = { fixes: d.fixes };
  return diagnostic;
}

export function quickFixes(diagnostics: Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    const fixes = (diagnostic.data as { fixes?: QuickFix[] } | undefined)?.fixes;
    for (const fix of fixes ?? []) {
      const edit: WorkspaceEdit = { changes: {} };
      for (const e of fix.edits) (edit.changes![e.uri] ??= []).push({ range: e.range, newText: e.newText });
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit,
        isPreferred: true,
      });
    }
  }
  return actions;
}
