// Missing external data: an ExternalTask's output (a literal path, or its template as a pattern)
// matches no file in the workspace, so every task that requires it is blocked.
import type { TaskFamily, TaskOutput } from '../model';
import type { DataFiles } from '../dataFiles';
import type { TaskGraph } from '../taskGraph';
import { DiagnosticCodes, type PipelineDiagnostic } from './pipelineDiagnostic';

export function missingExternalFamilies(families: TaskFamily[], files: DataFiles): Set<TaskFamily> {
  const missing = new Set<TaskFamily>();
  for (const f of families) {
    if (f.kind !== 'external' || f.cls.abstract) continue;
    if (f.outputs?.some((o) => isMissing(o, files))) missing.add(f);
  }
  return missing;
}

/** No file matches the output, in folders whose files we know (outside them, we cannot tell). */
function isMissing(output: TaskOutput, files: DataFiles): boolean {
  const segments = output.absoluteSegments;
  return segments !== undefined && files.covers(segments) && !files.anyMatch(segments);
}

export function missingDataDiagnostics(
  graph: TaskGraph,
  missing: Set<TaskFamily>,
  files: DataFiles,
): PipelineDiagnostic[] {
  const out: PipelineDiagnostic[] = [];
  for (const family of missing) {
    const requirers = graph.in[graph.idOf(family)]!;
    // Sorted: the text must not depend on the order files were learnt of (a fresh start's or events').
    const names = [...new Set(requirers.map((e) => e.from.family))].sort();
    for (const output of family.outputs ?? []) {
      if (!isMissing(output, files)) continue;
      const where = output.info.glob ?? output.info.template ?? 'its output';
      out.push({
        uri: family.outputsFile?.uri ?? family.file.uri,
        range: output.decl.range,
        severity: 'warning',
        code: DiagnosticCodes.missingExternalData,
        message:
          `No file matches ${where}: external data ${family.family} expects it to exist` +
          (names.length > 0 ? `, so ${names.join(', ')} cannot run.` : '.'),
        related: requirers.map((e) => ({
          location: { uri: e.file.uri, range: e.reference.range },
          message: `${e.from.family} requires ${family.family}`,
        })),
      });
    }
  }
  return out;
}
