// Labels for task instances that never read alike when the tasks differ: the parameters whose values
// differ between instances of one family come first (a date range's `date=2026-11-03`), the rest
// after, and the full text goes in the hover. Pure.

export interface Instance {
  id: string;
  family: string;
  params: Record<string, unknown>;
}

const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** For each instance, the names of its parameters whose value differs within its family. */
export function differingParams(tasks: Iterable<Instance>): Map<string, string[]> {
  const byFamily = new Map<string, Instance[]>();
  for (const task of tasks) {
    const list = byFamily.get(task.family) ?? [];
    list.push(task);
    byFamily.set(task.family, list);
  }
  const differing = new Map<string, string[]>();
  for (const list of byFamily.values()) {
    const names = new Set(list.flatMap((t) => Object.keys(t.params)));
    const varies = [...names].filter((name) => {
      const values = new Set(list.map((t) => (name in t.params ? text(t.params[name]) : '\u0000')));
      return values.size > 1;
    });
    for (const task of list) differing.set(task.id, varies);
  }
  return differing;
}

/** `k=v, …` with the differing parameters first; `only` leaves the others out. */
export function paramLabel(task: Instance, differing: string[] = [], only = false): string {
  return paramParts(task, differing, only).join(', ');
}

/** paramLabel's parts, one `k=v` a parameter: a line breaks between them, never inside one. */
export function paramParts(task: Instance, differing: string[] = [], only = false): string[] {
  const first = differing.filter((name) => name in task.params);
  const rest = only ? [] : Object.keys(task.params).filter((name) => !first.includes(name));
  return [...first, ...rest].map((name) => `${name}=${text(task.params[name])}`);
}

/** Every parameter, one per line: the hover of a shortened label. */
export function fullParams(task: Instance): string {
  return Object.entries(task.params)
    .map(([name, value]) => `${name}=${text(value)}`)
    .join('\n');
}
