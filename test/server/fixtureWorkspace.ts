// Opens a fixture workspace under test/server/fixtures (or a fresh copy of it in the system temp
// directory, where no plumb-pipelines can be resolved) and analyses it from disk.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WorkspaceAnalysis } from '../../server/src/analysis/workspaceAnalysis';
import type { AnalysisResult } from '../../server/src/analysis/analysisResult';
import type { PipelineDiagnostic } from '../../server/src/analysis/diagnostics/pipelineDiagnostic';

export const fixturesDir = path.join(import.meta.dirname, 'fixtures');

export function fixturePath(name: string): string {
  return path.join(fixturesDir, name);
}

/** A copy of a fixture outside the repository (so node_modules lookups find nothing); removed by `dispose`. */
export function copyFixture(name: string): { root: string; dispose: () => void } {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `plumb-${name}-`)));
  fs.cpSync(fixturePath(name), root, { recursive: true });
  return { root, dispose: () => fs.rmSync(root, { recursive: true, force: true }) };
}

export function analyseFolder(root: string): { analysis: WorkspaceAnalysis; result: AnalysisResult } {
  const analysis = new WorkspaceAnalysis([root]);
  analysis.scan();
  return { analysis, result: analysis.analyse() };
}

export function analyseFixture(name: string): { analysis: WorkspaceAnalysis; result: AnalysisResult } {
  return analyseFolder(fixturePath(name));
}

/** "From → To" for every edge, sorted, with "(dynamic)" marks: easy to compare in assertions. */
export function edgeList(result: AnalysisResult): string[] {
  return result.linked.edges
    .map((e) => `${e.from.family} → ${e.to.family}${e.dynamic ? ' (dynamic)' : ''}`)
    .sort();
}

export function allDiagnostics(result: AnalysisResult): PipelineDiagnostic[] {
  return [...result.diagnosticsByUri().values()].flat();
}

export function diagnosticsWithCode(result: AnalysisResult, code: string): PipelineDiagnostic[] {
  return allDiagnostics(result).filter((d) => d.code === code);
}
