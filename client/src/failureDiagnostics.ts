// Failed tasks of the latest run as diagnostics on their classes, cleared when the next run starts.
import * as vscode from 'vscode';
import type { RunState } from './runState';
import { failedTasks } from './runState';
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
    for (const failed of failedTasks(state)) {
      const classes = this.tasks.byFamily(failed.family);
      for (const task of classes) {
        const range = new vscode.Range(
          task.nameRange.start.line,
          task.nameRange.start.character,
          task.nameRange.end.line,
          task.nameRange.end.character,
        );
        const message = failed.error
          ? `${failed.id} failed: ${failed.error.name}: ${failed.error.message}`
          : `${failed.id} failed.`;
        const diagnostic = new vscode.Diagnostic(range, message, vscode.DiagnosticSeverity.Error);
        diagnostic.source = 'plumb run';
        diagnostic.code = state.runId;
        const where = failed.error?.location;
        if (where) {
          diagnostic.relatedInformation = [
            new vscode.DiagnosticRelatedInformation(
              new vscode.Location(
                vscode.Uri.file(where.file),
                new vscode.Position(Math.max(0, where.line - 1), Math.max(0, where.column - 1)),
              ),
              'thrown here',
            ),
          ];
        }
        const list = byUri.get(task.uri) ?? [];
        list.push(diagnostic);
        byUri.set(task.uri, list);
      }
    }
    this.collection.clear();
    for (const [uri, diagnostics] of byUri) this.collection.set(vscode.Uri.parse(uri), diagnostics);
  }

  dispose(): void {
    this.collection.dispose();
  }
}
