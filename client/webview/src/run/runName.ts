// A run's name where a narrow panel shows it (the header, the History tab's rows and durations): its
// family, then its parameters, those that differ from the other runs of the same family first, so two
// runs never read alike; the text wraps rather than being cut. Pure.

export interface RunName {
  family: string;
  /** `k=v` parts that tell this run from the others of its family (all of them when none differ). */
  lead: string[];
  /** The other `k=v` parts: the same in every run of the family listed beside it. */
  rest: string[];
}

/**
 * `Family(a=1, b=x)` → its family and its `k=v` parts. The runtime writes an id as `name=value`
 * joined by ", " with values unescaped, so a piece that does not start a `name=` continues the
 * value before it (a list or an object with ", " in it).
 */
export function idParts(id: string): { family: string; parts: string[] } {
  const open = id.indexOf('(');
  if (open <= 0 || !id.endsWith(')')) return { family: id, parts: [] };
  const parts: string[] = [];
  for (const piece of id.slice(open + 1, -1).split(', ')) {
    if (parts.length > 0 && !/^[\w$]+=/.test(piece)) parts[parts.length - 1] += `, ${piece}`;
    else if (piece !== '') parts.push(piece);
  }
  return { family: id.slice(0, open), parts };
}

/** The name of `id` among `others` (other runs' roots, or other task ids; `id` itself may be among them). */
export function runName(id: string, others: Iterable<string>): RunName {
  return runNames([id, ...others]).get(id)!;
}

/**
 * The name of every id in a list, each against the others of its family (a History tab's rows, a
 * run's task ids): a part differs when some other id of the family lacks it. Linear in the parts.
 */
export function runNames(ids: Iterable<string>): Map<string, RunName> {
  const split = new Map<string, { family: string; parts: string[] }>();
  for (const id of ids) if (!split.has(id)) split.set(id, idParts(id));
  // Per family: how many distinct ids it has, and how many of them hold each part.
  const families = new Map<string, { ids: number; holding: Map<string, number> }>();
  for (const { family, parts } of split.values()) {
    const f = families.get(family) ?? { ids: 0, holding: new Map<string, number>() };
    f.ids++;
    for (const part of new Set(parts)) f.holding.set(part, (f.holding.get(part) ?? 0) + 1);
    families.set(family, f);
  }
  const names = new Map<string, RunName>();
  for (const [id, { family, parts }] of split) {
    const f = families.get(family)!;
    const lead = parts.filter((part) => f.holding.get(part)! < f.ids);
    names.set(
      id,
      lead.length === 0
        ? { family, lead: parts, rest: [] }
        : { family, lead, rest: parts.filter((part) => !lead.includes(part)) },
    );
  }
  return names;
}
