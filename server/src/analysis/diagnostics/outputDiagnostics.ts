// Output problems: a task that can never be complete (no output() and not a WrapperTask), and two
// families whose target path templates can produce the same path (the runtime refuses a run that
// reaches two tasks with one output path).
import { containsPosition } from '../lineIndex';
import type { TaskFamily, TaskOutput } from '../model';
import { literalPrefix } from '../templates';
import { templatesOverlap } from '../templateOverlap';
import { isCompiledTwin } from './identityDiagnostics';
import { DiagnosticCodes, type PipelineDiagnostic } from './pipelineDiagnostic';

export function noOutputDiagnostics(families: TaskFamily[]): PipelineDiagnostic[] {
  return families
    .filter((f) => f.outputs === undefined && f.kind !== 'wrapper' && !f.cls.abstract)
    .map((f) => ({
      uri: f.file.uri,
      range: f.cls.nameRange,
      severity: 'warning' as const,
      code: DiagnosticCodes.noOutput,
      message:
        f.kind === 'external'
          ? `${f.family} is an ExternalTask without output(): it can never be found complete.`
          : `${f.family} has no output(), so it is never complete and reruns every time. Add output(), or extend WrapperTask if it only groups other tasks.`,
      fixes: [
        {
          title: 'Add an output() stub',
          edits: [
            {
              uri: f.file.uri,
              range: { start: f.cls.memberInsertAt, end: f.cls.memberInsertAt },
              newText: `${f.cls.memberIndent}output() {\n${f.cls.memberIndent}  return new LocalTarget(\`data/${kebab(f.family)}.txt\`);\n${f.cls.memberIndent}}\n`,
            },
          ],
        },
      ],
    }));
}

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

interface Written {
  family: TaskFamily;
  output: TaskOutput;
  prefix: string;
}

/** Outputs are reused across analyses while their file is unchanged, and so are their prefixes. */
const prefixes = new WeakMap<TaskOutput, string>();

function prefixOf(output: TaskOutput): string {
  let prefix = prefixes.get(output);
  if (prefix === undefined) prefixes.set(output, (prefix = literalPrefix(output.absoluteSegments!)));
  return prefix;
}

export function duplicateOutputDiagnostics(families: TaskFamily[]): PipelineDiagnostic[] {
  const written: Written[] = [];
  for (const family of families) {
    if (family.kind === 'external' || family.cls.abstract) continue;
    for (const output of family.outputs ?? []) {
      if (output.absoluteSegments) written.push({ family, output, prefix: prefixOf(output) });
    }
  }
  // Two patterns can only meet if one's literal prefix starts the other's: after sorting, each
  // pattern's candidates follow it contiguously, which keeps this far from all-pairs.
  written.sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));
  const clashes = new Map<Written, Written[]>();
  for (let i = 0; i < written.length; i++) {
    const a = written[i]!;
    for (let j = i + 1; j < written.length && written[j]!.prefix.startsWith(a.prefix); j++) {
      const b = written[j]!;
      if (a.family === b.family || isCompiledTwin(a.family, b.family)) continue;
      if (!templatesOverlap(a.output.absoluteSegments!, b.output.absoluteSegments!, a.family, b.family))
        continue;
      clashes.set(a, [...(clashes.get(a) ?? []), b]);
      clashes.set(b, [...(clashes.get(b) ?? []), a]);
    }
  }
  return [...clashes].map(([w, others]) => {
    const place = placeOf(w);
    const target = w.output.info.template ?? '';
    return {
      ...place,
      severity: 'warning' as const,
      code: DiagnosticCodes.duplicateOutput,
      message: `${w.family.family} and ${others.map((o) => o.family.family).join(', ')} can write the same target ${target}: whichever runs first makes the other look complete, and a run that reaches both refuses to start.`,
      related: [
        ...(place.range === w.output.decl.range
          ? []
          : [{ location: declPlace(w), message: `${w.family.family} inherits this output()` }]),
        ...others.map((o) => ({
          location: placeOf(o),
          message: `${o.family.family} writes ${o.output.info.template ?? 'this target'}`,
        })),
      ],
    };
  });
}

function declPlace(w: Written) {
  return { uri: w.family.outputsFile?.uri ?? w.family.file.uri, range: w.output.decl.range };
}

/**
 * Where a clash is reported: at the output() declaration, or at the class name when the family
 * inherits it (two subclasses of one base would otherwise share one spot in the base, and neither
 * class would show what is wrong with it).
 */
function placeOf(w: Written) {
  const decl = declPlace(w);
  const own = decl.uri === w.family.file.uri && containsPosition(w.family.cls.range, decl.range.start);
  return own ? decl : { uri: w.family.file.uri, range: w.family.cls.nameRange };
}
