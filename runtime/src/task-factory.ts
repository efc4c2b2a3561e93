// Builds a task from strings (command line, editor, child process): each value parsed by its
// declared parameter, each error naming the task, the parameter and the flag it came from.
import { didYouMean } from './did-you-mean';
import { kebabCase, ParamError } from './parameter';
import { paramSchemaOf, type Task } from './task';

/**
 * `given` maps a parameter as written (declared name or kebab-case) to its text; undefined is a
 * flag written without a value: `true` for a bool parameter, "missing value" for any other.
 * `otherOptions` are names that are not parameters but might have been meant (the command's own
 * flags), offered in "did you mean".
 */
export function buildTask(
  cls: new (...args: never[]) => Task,
  given: Map<string, string | undefined> | Record<string, string>,
  otherOptions: readonly string[] = [],
): Task {
  const family = cls.name;
  const schema = paramSchemaOf(cls);
  const byName = new Map<string, string>();
  for (const name of Object.keys(schema)) {
    byName.set(name, name);
    byName.set(kebabCase(name), name);
  }
  const values: Record<string, unknown> = {};
  const entries = given instanceof Map ? [...given] : Object.entries(given);
  for (const [written, text] of entries) {
    const name = byName.get(written);
    if (name === undefined) {
      const known = Object.keys(schema).map((n) => `--${kebabCase(n)}`);
      const hint = didYouMean(
        written,
        [...Object.keys(schema).map(kebabCase), ...otherOptions],
        (n) => `--${n}`,
      );
      throw new ParamError(
        family,
        written,
        '',
        `is not a parameter of ${family}${hint} (${known.length ? `it takes ${known.join(', ')}` : 'it takes none'})`,
      );
    }
    const def = schema[name]!;
    if (name in values) throw new ParamError(family, name, `--${written}`, 'is given twice');
    if (text === undefined && def.kind !== 'bool') {
      throw new ParamError(family, name, `--${kebabCase(name)}`, `missing value (expected a ${def.kind})`);
    }
    try {
      values[name] = def.parse(text ?? 'true');
    } catch (e) {
      throw new ParamError(
        family,
        name,
        `--${kebabCase(name)} ${JSON.stringify(text)}`,
        (e as Error).message,
      );
    }
  }
  try {
    return new (cls as unknown as new (params: object) => Task)(values);
  } catch (e) {
    if (e instanceof ParamError) throw e;
    throw new TaskConstructionError(family, e);
  }
}

/** A task's own constructor threw: the pipeline is broken there (not the command line). */
export class TaskConstructionError extends Error {
  constructor(family: string, cause: unknown) {
    super(
      `${family}: its constructor threw: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`,
      {
        cause,
      },
    );
    this.name = 'TaskConstructionError';
  }
}

/** Every parameter (significant or not) as strings `buildTask` accepts back: for child processes. */
export function taskParamStrings(task: Task): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, def] of Object.entries(paramSchemaOf(task.constructor))) {
    out[name] = def.format((task as unknown as Record<string, unknown>)[name]);
  }
  return out;
}
