// One id, one task: the static cases where two tasks would share a task id at run time (ids are the
// class name plus the significant parameters). Two task classes of one project with the same name,
// and an output path built from a parameter that is left out of the id.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TaskFamily } from '../model';
import { DiagnosticCodes, type PipelineDiagnostic } from './pipelineDiagnostic';

/** `x.js` beside `x.ts` is the TypeScript compiled in place: the same class, not a second one. */
export function isCompiledTwin(a: TaskFamily, b: TaskFamily): boolean {
  const stem = (f: TaskFamily) => f.file.fileName.replace(/\.[cm]?[jt]sx?$/, '');
  return a.file.isJs !== b.file.isJs && stem(a) === stem(b);
}

function where(f: TaskFamily, from: TaskFamily): string {
  let file: string;
  try {
    file = path.relative(path.dirname(fileURLToPath(from.file.uri)), fileURLToPath(f.file.uri));
  } catch {
    file = f.file.fileName;
  }
  return `${file}:${f.cls.nameRange.start.line + 1}`;
}

/**
 * Two task classes with one name in one project (a plumb.toml's folder, else the workspace folder):
 * a run that reaches both finds two tasks with one id and refuses to start. Projects apart never
 * meet in a run, so their names may repeat.
 */
export function duplicateFamilyDiagnostics(families: TaskFamily[]): PipelineDiagnostic[] {
  const byName = new Map<string, TaskFamily[]>();
  for (const f of families) {
    if (f.cls.abstract) continue;
    const key = `${f.projectRoot}\0${f.family}`;
    const list = byName.get(key);
    if (list) list.push(f);
    else byName.set(key, [f]);
  }
  const out: PipelineDiagnostic[] = [];
  for (const all of byName.values()) {
    if (all.length < 2) continue;
    const group = all.filter((f) => !(f.file.isJs && all.some((o) => isCompiledTwin(f, o))));
    for (const f of group) {
      const others = group.filter((o) => o !== f);
      if (others.length === 0) continue;
      out.push({
        uri: f.file.uri,
        range: f.cls.nameRange,
        severity: 'warning',
        code: DiagnosticCodes.duplicateFamily,
        message: `Another task class is also named ${f.family} (${others.map((o) => where(o, f)).join(', ')}): task ids are the class name and the significant parameters, so both would get the id ${f.family}(…) and a run that reaches both refuses to start. Rename one.`,
        related: others.map((o) => ({
          location: { uri: o.file.uri, range: o.cls.nameRange },
          message: `the other ${o.family}`,
        })),
      });
    }
  }
  return out;
}

/**
 * An output path template that uses a parameter declared `significant: false`: two instances that
 * differ only in it share one id (so only one runs) but would write different outputs.
 */
export function insignificantOutputDiagnostics(families: TaskFamily[]): PipelineDiagnostic[] {
  const out: PipelineDiagnostic[] = [];
  // An output() inherited by several families is one place in the code: one diagnostic per param there.
  const seen = new Set<string>();
  for (const f of families) {
    if (f.cls.abstract) continue;
    for (const output of f.outputs ?? []) {
      for (const segment of output.decl.segments ?? []) {
        if ('text' in segment || !segment.param) continue;
        const param = f.params.find((p) => p.name === segment.param);
        if (param?.significant !== false) continue;
        const uri = f.outputsFile?.uri ?? f.file.uri;
        const key = `${uri}:${output.decl.range.start.line}:${output.decl.range.start.character}:${param.name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({
          uri,
          range: output.decl.range,
          severity: 'warning',
          code: DiagnosticCodes.insignificantParamInOutput,
          message: `${f.family}'s output path ${output.info.template ?? ''} uses '${param.name}', which is declared significant: false (left out of the task id): two instances differing only in ${param.name} would share one id but write different outputs. Make '${param.name}' significant, or keep it out of output().`,
        });
      }
    }
  }
  return out;
}
