// What a task is: typed parameters (Task.with), an identity, requirements, outputs and run().
// The scheduler decides when a task runs and the worker runs it; a task only describes itself.
import {
  ParamError,
  type ParamDef,
  type ParamInput,
  type RequiredKeys,
  type ParamSchema,
  type ParamValues,
} from './parameter';
import { isTestMode, withProductionPaths } from './operations/test-mode';
import { currentTaskHooks, type LogLevel, type TaskRunHooks } from './task-context';
import { flattenShape, mapShape, type Shape } from './task-shape';
import { isTarget, type Target } from './target';
import { pendingTempOf } from './atomic-write';
import { LocalTarget } from './local-target';
import { PARALLEL_FROM, ParallelExistence } from './parallel-existence';

/** A task's output shape: one target, an array or an object of targets. */
export type Outputs = Shape<Target>;
/** A task's requirement shape: one task, an array or an object of tasks. */
export type Requirements = Shape<Task>;

type OutputOf<T> = T extends { output(): infer O } ? O : never[];
/** The outputs of a requirement shape, in the same shape. */
export type OutputsOf<R> = R extends Task
  ? OutputOf<R>
  : R extends readonly unknown[]
    ? { -readonly [K in keyof R]: OutputsOf<R[K]> }
    : R extends undefined | null | void
      ? never[]
      : { [K in keyof R]: OutputsOf<R[K]> };
/** What `this.input()` returns: the outputs of `requires()`, in its shape. */
export type InputOf<T> = T extends { requires(): infer R } ? OutputsOf<R> : never[];

/**
 * Per-class settings a task may declare as static fields (not declared on Task itself, so a
 * subclass writes `static retries = 2` without `override`): retries, retryDelayMs, timeoutMs, isolate.
 */
export interface TaskClassSettings {
  retries?: number;
  retryDelayMs?: number;
  timeoutMs?: number;
  /** Run in a child process: for CPU-heavy or crash-prone tasks, and timeouts that kill. */
  isolate?: boolean;
}

/** Methods a task class may define; the base class leaves them undeclared so no `override` is needed. */
export interface TaskMethods {
  requires?(): Requirements;
  output?(): Outputs;
  run?(): unknown;
}

const PARAM_SCHEMA = Symbol.for('plumb.paramSchema');
const KIND = Symbol.for('plumb.taskKind');

/** Defaults from plumb.toml's [params.<Family>], as TOML values; installed before tasks are built. */
let configDefaults: Record<string, Record<string, unknown>> = {};
export function setParamConfigDefaults(table: Record<string, Record<string, unknown>>): void {
  configDefaults = table;
}

export type TaskConstructor = abstract new (...args: never[]) => Task;
type ConstructorArgs<S extends ParamSchema> = [RequiredKeys<S>] extends [never]
  ? [params?: ParamInput<S>]
  : [params: ParamInput<S>];

/** The class `Base.with(schema)` returns: Base's statics, a typed constructor, params as properties. */
export type TaskClassWith<Base extends TaskConstructor, S extends ParamSchema> = Omit<Base, 'prototype'> & {
  new (...args: ConstructorArgs<S>): InstanceType<Base> & ParamValues<S>;
};

const RESERVED = new Set([
  'taskId',
  'taskFamily',
  'params',
  'log',
  'signal',
  'input',
  'complete',
  'toString',
]);

export class Task {
  /** Stable identity: family + significant parameters, e.g. `Streams(date=2026-11-01)`. */
  readonly taskId: string;
  /** The class name. */
  readonly taskFamily: string;

  /**
   * Declares typed parameters: `class A extends Task.with({ date: param.date() }) {}`. The checker
   * infers `new A({ date })` from it, and the parameter list is readable from the syntax alone.
   */
  static with<This extends TaskConstructor, S extends ParamSchema>(
    this: This,
    schema: S,
  ): TaskClassWith<This, S> {
    for (const name of Object.keys(schema)) {
      if (RESERVED.has(name) || name.startsWith('_'))
        throw new Error(`parameter name '${name}' is reserved by Task`);
    }
    const Base = this as unknown as new (...args: unknown[]) => Task;
    const WithParams = class extends Base {};
    Object.defineProperty(WithParams, PARAM_SCHEMA, {
      value: Object.freeze({ ...paramSchemaOf(Base), ...schema }),
    });
    return WithParams as unknown as TaskClassWith<This, S>;
  }

  constructor(params?: object) {
    const cls = new.target as unknown as typeof Task;
    this.taskFamily = cls.name;
    const schema = paramSchemaOf(cls);
    const given = (params ?? NO_VALUES) as Record<string, unknown>;
    // for…in, not Object.keys: no array per task (a big DAG builds its tasks several times a run).
    for (const key in given) {
      if (!Object.hasOwn(given, key)) continue;
      if (!(key in schema)) {
        throw new ParamError(
          this.taskFamily,
          key,
          '',
          `is not a parameter of ${this.taskFamily} (${describeParams(schema)})`,
        );
      }
    }
    const fromConfig = configDefaults[this.taskFamily] ?? NO_VALUES;
    let id = '';
    const entries = entriesOf(schema);
    for (let i = 0; i < entries.length; i++) {
      const name = entries[i]![0];
      const def = entries[i]![1];
      let value: unknown;
      try {
        if (given[name] !== undefined) value = def.normalize(given[name]);
        else if (fromConfig[name] !== undefined) value = def.fromConfig(fromConfig[name]);
        else if (def.hasDefault) value = def.default;
        else
          throw new RangeError(
            'is required and has no value (no argument, no plumb.toml default, no default)',
          );
      } catch (e) {
        if (e instanceof ParamError) throw e;
        const source =
          given[name] !== undefined
            ? ''
            : fromConfig[name] !== undefined
              ? `plumb.toml [params.${this.taskFamily}]`
              : '';
        throw new ParamError(this.taskFamily, name, source, (e as Error).message);
      }
      Object.defineProperty(this, name, { value, enumerable: true, writable: false });
      if (def.significant) id += `${id ? ', ' : ''}${name}=${def.format(value)}`;
    }
    this.taskId = `${this.taskFamily}(${id})`;
  }

  /** Significant parameters as canonical strings (what the CLI accepts back). */
  get params(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, def] of entriesOf(paramSchemaOf(this.constructor))) {
      if (def.significant) out[name] = def.format((this as unknown as Record<string, unknown>)[name]);
    }
    return out;
  }

  /** Complete when every output exists. A task with no outputs is never complete (as in Luigi). */
  complete(): boolean | Promise<boolean> {
    return outputsExist(this);
  }

  /** The outputs of requires(), in the same shape (one target, array or object). */
  input<T extends TaskMethods>(this: T): InputOf<T> {
    const req = this.requires?.();
    return mapShape(req, isTask, (t) => (t as TaskMethods).output?.() ?? []) as InputOf<T>;
  }

  /** Fraction done, 0..1, shown live in the editor and the terminal. */
  setProgress(fraction: number): void {
    this.hooks()?.progress(Math.max(0, Math.min(1, fraction)));
  }

  /** A short status message, shown live; `rows`: how many rows it has loaded or written so far. */
  setStatus(message: string, counts?: { rows?: number }): void {
    this.hooks()?.status(message, counts?.rows);
  }

  /** The task's log: lines become task-log events (console.* inside run() does too). */
  get log(): Record<LogLevel, (...args: unknown[]) => void> {
    const emit =
      (level: LogLevel) =>
      (...args: unknown[]) => {
        const hooks = this.hooks();
        const text = args.map((a) => (typeof a === 'string' ? a : formatValue(a))).join(' ');
        if (hooks) hooks.log(level, text);
        else console.error(`[${this.taskId}] ${text}`);
      };
    return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
  }

  /** Aborted when the run is cancelled or the task times out; pass it to fetch, streams, timers. */
  get signal(): AbortSignal {
    return this.hooks()?.signal ?? new AbortController().signal;
  }

  /** Dynamic dependencies from an async run(): resolves with their outputs once they are complete. */
  dependOn<R extends Requirements>(tasks: R): Promise<OutputsOf<R>> {
    const hooks = this.hooks();
    if (!hooks) return Promise.reject(new Error(`${this.taskId}: dependOn() works only inside run()`));
    return hooks.dependOn(tasks) as Promise<OutputsOf<R>>;
  }

  toString(): string {
    return this.taskId;
  }

  private hooks(): TaskRunHooks | undefined {
    // Any task's helpers called inside a run() report to the running task: that is who did it.
    return currentTaskHooks();
  }
}

/** Data something outside Plumb produces: never run; missing outputs are reported as missing. */
export class ExternalTask extends Task {
  constructor(params?: object) {
    super(params);
    // Test mode moves what the pipeline writes; data from outside is read where it is.
    const output = (this as TaskMethods).output;
    if (isTestMode() && output)
      Object.defineProperty(this, 'output', { value: () => withProductionPaths(() => output.call(this)) });
  }
}
Object.defineProperty(ExternalTask, KIND, { value: 'external' });

/** Groups requirements: complete when they all are; has no outputs and no run(). */
export class WrapperTask extends Task {
  override complete(): boolean | Promise<boolean> {
    return allComplete(requirementsOf(this));
  }
}
Object.defineProperty(WrapperTask, KIND, { value: 'wrapper' });

/** Requirements checked on the main thread before threads may take over: a fresh run stops at the first. */
const CHECKED_FIRST = 64;

/**
 * True when every task is complete, false at the first that is not; a promise when some answer
 * asynchronously. Past the first requirements, many tasks whose completeness is their one local
 * file's existence (Task's complete(), LocalTarget's exists()) have those files checked by threads
 * (parallel-existence.ts) while the rest are built and asked here: an all-complete fan-out rerun.
 */
export function allComplete(tasks: Task[]): boolean | Promise<boolean> {
  const pending: Promise<boolean>[] = [];
  let threads: ParallelExistence | undefined;
  const settled = (complete: boolean) => {
    // Checks already started may still reject; nobody waits for them, so they must not crash.
    if (!complete) for (const p of pending) p.catch(() => undefined);
    return complete;
  };
  try {
    for (let i = 0; i < tasks.length; i++) {
      const t = tasks[i]!;
      let r: boolean | Promise<boolean>;
      if (t.complete === baseComplete) {
        const out = (t as TaskMethods).output?.();
        if (i >= CHECKED_FIRST && isPlainLocalFile(out)) {
          if (threads === undefined && tasks.length - i >= PARALLEL_FROM)
            threads = new ParallelExistence(tasks.length - i, Buffer.byteLength(out.path));
          if (threads !== undefined) {
            // A durable write not yet committed counts, as LocalTarget.exists() says.
            if (pendingTempOf(out.path) === undefined) threads.add(out.path);
            if (i % 1024 === 0 && threads.missingSeen) return settled(false);
            continue;
          }
        }
        r = outputsExistOf(t, out);
      } else r = t.complete();
      // One missing requirement settles it: on a fresh run of N leaves that saves N - 1 checks.
      if (r === false) return settled(false);
      if (r !== true) pending.push(Promise.resolve(r));
    }
    if (threads !== undefined && !threads.allExist()) return settled(false);
  } finally {
    threads?.stop();
  }
  return pending.length === 0 ? true : Promise.all(pending).then((all) => all.every(Boolean));
}

function isPlainLocalFile(out: Outputs): out is LocalTarget {
  return out instanceof LocalTarget && out.exists === localExists;
}

/** Instances passed through optional(): the requirement whose failure its dependent survives. */
const OPTIONAL = new WeakSet<Task>();

/**
 * Marks a requirement optional: `requires() { return { sales: new Sales(), weather: optional(new
 * Weather()) }; }`. When it fails (or is missing, or blocked) the requiring task runs anyway, its
 * input's target simply absent (check `exists()`); the failure is still reported and still fails
 * the run's exit code. Returns the same task, so input() keeps its type.
 */
export function optional<T extends Task>(task: T): T {
  if (isTask(task)) OPTIONAL.add(task);
  return task;
}

export function isOptionalRequirement(task: Task): boolean {
  return OPTIONAL.has(task);
}

export function isTask(value: unknown): value is Task {
  return value instanceof Task;
}

export function taskKind(task: Task): 'task' | 'external' | 'wrapper' {
  return (
    ((task.constructor as unknown as Record<symbol, unknown>)[KIND] as 'external' | 'wrapper' | undefined) ??
    'task'
  );
}

const baseComplete = Task.prototype.complete;
const localExists = LocalTarget.prototype.exists;

const NO_PARAMS: ParamSchema = Object.freeze({});
/** No parameters given, or no plumb.toml defaults for a family: one shared empty object. */
const NO_VALUES: Readonly<Record<string, unknown>> = Object.freeze({});
/** A schema's entries, listed once per schema: a big DAG constructs its tasks millions of times. */
const schemaEntries = new WeakMap<ParamSchema, [string, ParamDef<unknown>][]>();
function entriesOf(schema: ParamSchema): [string, ParamDef<unknown>][] {
  let entries = schemaEntries.get(schema);
  if (!entries) schemaEntries.set(schema, (entries = Object.entries(schema)));
  return entries;
}

export function paramSchemaOf(cls: unknown): ParamSchema {
  return ((cls as Record<symbol, unknown>)[PARAM_SCHEMA] as ParamSchema | undefined) ?? NO_PARAMS;
}

export function settingsOf(task: Task): TaskClassSettings {
  return task.constructor as TaskClassSettings;
}

export function requirementsOf(task: Task): Task[] {
  const req = (task as TaskMethods).requires?.();
  const list = flattenShape(req, isTask);
  for (let i = 0; i < list.length; i++) {
    const r = list[i];
    // Built by Task's constructor, or it has no identity (Object.create(Cls.prototype), a plain object).
    if (!isTask(r) || typeof r.taskId !== 'string')
      throw new TypeError(`${task.taskId}: requires() returned ${notATask(r)}`);
  }
  return list;
}

/** What a requirement that is not a task is, for the error that refuses it. */
export function notATask(value: unknown): string {
  if (isTask(value))
    return `an object of class ${value.constructor.name} that was not built by its constructor (no task id): create it with new ${value.constructor.name}(…)`;
  if (typeof value === 'function')
    return `a function (${value.name || 'anonymous'}), not a task: call new ${value.name || 'Cls'}(…)?`;
  if (value === null || typeof value !== 'object') return `something that is not a task: ${String(value)}`;
  const name = (value as { constructor?: { name?: string } }).constructor?.name;
  return `something that is not a task: ${name && name !== 'Object' ? `an object of class ${name}` : 'a plain object'}${typeof (value as { run?: unknown }).run === 'function' ? ' with a run() method (tasks extend Task)' : ''}`;
}

export function outputsOf(task: Task): Target[] {
  return outputList(task, (task as TaskMethods).output?.());
}

/** What output() returned (`out`), as a list of targets. */
function outputList(task: Task, out: Outputs): Target[] {
  const list = flattenShape(out, isTarget);
  for (let i = 0; i < list.length; i++) {
    const t = list[i];
    if (!isTarget(t))
      throw new TypeError(`${task.taskId}: output() returned something that is not a target: ${String(t)}`);
  }
  return list;
}

/** True when every output exists; a promise when some target checks asynchronously. */
export function outputsExist(task: Task): boolean | Promise<boolean> {
  return outputsExistOf(task, (task as TaskMethods).output?.());
}

/** outputsExist() of what the task's output() returned (`out`). */
function outputsExistOf(task: Task, out: Outputs): boolean | Promise<boolean> {
  // One target (most tasks): asked directly, no list built; an all-complete rerun of 100,000
  // tasks asks this for every one of them.
  if (isTarget(out)) {
    const r = out.exists();
    return r === true || r === false ? r : Promise.resolve(r).then(Boolean);
  }
  return targetsExist(outputList(task, out));
}

/** True when every target exists (false for none, as a task without outputs is never complete). */
export function targetsExist(outputs: Target[]): boolean | Promise<boolean> {
  if (outputs.length === 0) return false;
  let pending: Promise<boolean>[] | undefined; // only when some target answers asynchronously
  for (let i = 0; i < outputs.length; i++) {
    const r = outputs[i]!.exists();
    if (r === false) return false;
    if (r !== true) (pending ??= []).push(r);
  }
  return pending === undefined ? true : Promise.all(pending).then((all) => all.every(Boolean));
}

function describeParams(schema: ParamSchema): string {
  const names = Object.keys(schema);
  return names.length ? `its parameters: ${names.join(', ')}` : 'it has no parameters';
}

function formatValue(value: unknown): string {
  if (value instanceof Error) return value.stack ?? value.message;
  try {
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  } catch {
    return String(value);
  }
}
