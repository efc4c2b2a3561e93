// Builds a task from strings (command line, editor, child process): each value parsed by its
// declared parameter, each error naming the task, the parameter and the flag it came from.
import { kebabCase, ParamError } from './parameter';
import { paramSchemaOf, type Task } from './task';

export function buildTask(
  cls: new (...args: never[]) => Task,
  given: Map<string, string> | Record<string, string>,
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
      throw new ParamError(
        family,
        written,
        '',
        `is not a parameter of ${family} (${known.length ? `it takes ${known.join(', ')}` : 'it takes none'})`,
      );
    }
    try {
      values[name] = schema[name]!.parse(text);
    } catch (e) {
      throw new ParamError(
        family,
        name,
        `--${kebabCase(name)} ${JSON.stringify(text)}`,
        (e as Error).message,
      );
    }
  }
  return new (cls as unknown as new (params: object) => Task)(values);
}

/** Every parameter (significant or not) as strings `buildTask` accepts back: for child processes. */
export function taskParamStrings(task: Task): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, def] of Object.entries(paramSchemaOf(task.constructor))) {
    out[name] = def.format((task as unknown as Record<string, unknown>)[name]);
  }
  return out;
}
