// Failed tasks of the latest run as diagnostics on their classes, cleared when the next run starts.
import * as vscode from 'vscode';
import { failureReports } from './failureReport';
import type { RunState } from './runState';
import type { TaskIndex } from './taskIndex';

export class FailureDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('plumb-run');

  constructor(private readonly tasks: TaskIndex) {}

  clear(): void {
    this.collection.clear();
  }

  /** Replaces the diagnostics with the run's failures (idempotent: called as failures arrive). */
  show(state: RunState): void {
    const byUri = new Map<string, vscode.Diagnostic[]>();
    for (const report of failureReports(state, (family) => this.tasks.byFamily(family))) {
      const { start, end } = report.range;
      const range = new vscode.Range(start.line, start.character, end.line, end.character);
      const diagnostic = new vscode.Diagnostic(range, report.message, vscode.DiagnosticSeverity.Error);
      diagnostic.source = 'plumb run';
      diagnostic.code = state.runId;
      if (report.thrownAt) {
        const { file, line, character } = report.thrownAt;
        diagnostic.relatedInformation = [
          new vscode.DiagnosticRelatedInformation(
            new vscode.Location(vscode.Uri.file(file), new vscode.Position(line, character)),
            'thrown here',
          ),
        ];
      }
      const list = byUri.get(report.uri) ?? [];
      list.push(diagnostic);
      byUri.set(report.uri, list);
    }
    this.collection.clear();
    for (const [uri, diagnostics] of byUri) this.collection.set(vscode.Uri.parse(uri), diagnostics);
  }

  dispose(): void {
    this.collection.dispose();
  }
}
