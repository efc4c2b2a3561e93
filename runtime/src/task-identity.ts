// One id, one task: whether two instances with the same task id really are the same task (same
// class, same outputs), and whether an object is a task at all (built by Task's constructor).
import { readFileSync } from 'node:fs';
import { type ParamDef } from './parameter';
import { isTask, notATask, outputsOf, paramSchemaOf, type Task } from './task';

export interface IdentityConflict {
  kind: 'same-id-other-class' | 'same-id-other-outputs' | 'same-output';
  /** The task ids involved (twice the same id for the same-id kinds). */
  tasks: string[];
  message: string;
}

/** A task's output paths or URIs ([] when output() throws: complete() reports that). */
export function outputPathsOf(task: Task): string[] {
  try {
    return outputsOf(task).map(String);
  } catch {
    return [];
  }
}

/**
 * Why `a` and `b` (two instances with one id) cannot be one task, or undefined when they can.
 * Cheap on the common path: same class and equal insignificant parameters means same task,
 * without asking either for its outputs.
 */
export function identityConflict(a: Task, b: Task): IdentityConflict | undefined {
  if (a.constructor !== b.constructor) {
    return {
      kind: 'same-id-other-class',
      tasks: [a.taskId, b.taskId],
      message: `two different classes are both named ${a.taskFamily} and share the task id ${a.taskId}: ${describeClass(a.constructor)} and ${describeClass(b.constructor)}; rename one (task ids are the class name and the significant parameters)`,
    };
  }
  let differs = false;
  for (const [name, def] of insignificantParams(a.constructor)) {
    const x = (a as unknown as Record<string, unknown>)[name];
    const y = (b as unknown as Record<string, unknown>)[name];
    if (x !== y && def.format(x) !== def.format(y)) differs = true;
  }
  if (!differs) return undefined;
  const pa = outputPathsOf(a);
  const pb = outputPathsOf(b);
  if (pa.length === pb.length && pa.every((p, i) => p === pb[i])) return undefined;
  const onlyA = pa.filter((p) => !pb.includes(p));
  const onlyB = pb.filter((p) => !pa.includes(p));
  return {
    kind: 'same-id-other-outputs',
    tasks: [a.taskId, b.taskId],
    message: `two instances of ${a.taskId} differ only in insignificant parameters yet declare different outputs (${onlyA.join(', ') || 'none'} vs ${onlyB.join(', ') || 'none'}): they share one id, so only one would run; make the parameter significant or keep it out of output()`,
  };
}

/** A class's insignificant parameters, listed once per class (checked on every repeated requirement). */
const insignificant = new WeakMap<object, [string, ParamDef<unknown>][]>();
function insignificantParams(cls: object): [string, ParamDef<unknown>][] {
  let list = insignificant.get(cls);
  if (!list) {
    list = Object.entries(paramSchemaOf(cls)).filter(([, def]) => !def.significant);
    insignificant.set(cls, list);
  }
  return list;
}

/** Refuses objects that are not tasks or escaped Task's constructor (no identity). */
export function checkIsTask(value: unknown, where: string): asserts value is Task {
  if (!isTask(value) || typeof value.taskId !== 'string')
    throw new TypeError(`${where} is ${notATask(value)}`);
}

/** `class X (file:line)` when the module that exports the class can be found. */
function describeClass(cls: unknown): string {
  const name = (cls as { name?: string }).name ?? '?';
  const file = exportingFile(cls);
  if (!file) return `class ${name}`;
  let line: number | undefined;
  try {
    const at = readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((l) => new RegExp(`\\bclass\\s+${name}\\b`).test(l));
    if (at >= 0) line = at + 1;
  } catch {
    /* the file name alone still helps */
  }
  return `class ${name} (${file}${line ? `:${line}` : ''})`;
}

/** The loaded module that exports `cls` (directly or one namespace deep), from Node's module cache. */
function exportingFile(cls: unknown): string | undefined {
  const cache = typeof require === 'function' ? require.cache : undefined;
  if (!cache) return undefined;
  for (const mod of Object.values(cache)) {
    const exports = mod?.exports as Record<string, unknown> | undefined;
    if (!exports || typeof exports !== 'object' || /[\\/]node_modules[\\/]/.test(mod!.filename)) continue;
    for (const value of Object.values(exports)) {
      if (value === cls) return mod!.filename;
      if (value && typeof value === 'object' && Object.values(value).includes(cls)) return mod!.filename;
    }
  }
  return undefined;
}
