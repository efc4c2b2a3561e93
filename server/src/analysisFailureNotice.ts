// What the user is told when the analysis keeps failing after its retries: the diagnostics, lenses
// and graph they see are from the last analysis that succeeded, so they must not pass for current.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { AnalysisFailure } from './analysisScheduler';

export const ANALYSIS_FAILED_CODE = 'plumb.analysis-failed';

const STALE = 'Plumb shows the last analysis that succeeded and tries again on the next change.';

/** A warning for the window, naming the file and the error. */
export function failureMessage(failure: AnalysisFailure): string {
  const since = failure.changedFile
    ? ` since ${path.basename(failure.changedFile)} was opened or changed`
    : '';
  return `Plumb could not analyse the workspace${since} (${failure.error}). ${STALE}`;
}

/** A diagnostic at the top of the file whose change came first, when one did (it lasts until a success). */
export function failureDiagnostic(
  failure: AnalysisFailure,
): { uri: string; diagnostic: Diagnostic } | undefined {
  if (!failure.changedFile) return undefined;
  return {
    uri: pathToFileURL(failure.changedFile).href,
    diagnostic: {
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: DiagnosticSeverity.Warning,
      code: ANALYSIS_FAILED_CODE,
      source: 'plumb',
      message: `Plumb could not analyse the workspace since this file was opened or changed (${failure.error}). ${STALE}`,
    },
  };
}

export const recoveredMessage = 'Plumb analyses the workspace again: its diagnostics are current.';
