// Code lenses above each task class: run, debug, run only this task, backfill, graph, and the
// upstream/downstream counts. The client registers the commands (protocol.ts ClientCommands).
import type { CodeLens } from 'vscode-languageserver/node';
import type { AnalysisResult } from './analysis/analysisResult';
import { ClientCommands, type TaskCommandArgs } from './protocol';

export function taskLenses(result: AnalysisResult, uri: string): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const family of result.familiesIn(uri)) {
    if (family.cls.abstract) continue;
    const args: TaskCommandArgs = { uri, family: family.family };
    const range = family.cls.nameRange;
    const lens = (title: string, command: string): CodeLens => ({
      range,
      command: { title, command, arguments: [args] },
    });
    if (family.kind !== 'external') {
      lenses.push(
        lens('▶ Run', ClientCommands.run),
        lens('Debug', ClientCommands.debug),
        lens('Run this task only', ClientCommands.runUnit),
      );
      // A range can go over a date-like parameter (plumb backfill): offer it where there is one.
      if (family.params.some((p) => p.type === 'date' || p.type === 'datetime' || p.type === 'hour'))
        lenses.push(lens('Backfill…', ClientCommands.backfill));
    }
    lenses.push(lens('Graph', ClientCommands.graph));
    const up = result.upstreamCount(family);
    const down = result.downstreamCount(family);
    lenses.push(lens(`↑ ${up} upstream · ↓ ${down} downstream`, ClientCommands.graph));
  }
  return lenses;
}
