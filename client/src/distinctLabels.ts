// Labels for rows that name task ids or fan-out items in a narrow tree (the Schedules view): what
// differs between rows comes first, so a row the sidebar cuts never reads like its neighbour. Pure.

/** `Family(a=1, b=x)` → its family and its `k=v` parts (a value's own ", " stays inside its part). */
export function splitTaskId(id: string): { family: string; parts: string[] } {
  const open = id.indexOf('(');
  if (open < 0 || !id.endsWith(')')) return { family: id, parts: [] };
  const parts: string[] = [];
  for (const piece of id.slice(open + 1, -1).split(', ')) {
    // A piece without "=" continues the value before it (a list or object value with ", " in it).
    if (parts.length > 0 && !/^[\w$]+=/.test(piece)) parts[parts.length - 1] += `, ${piece}`;
    else if (piece !== '') parts.push(piece);
  }
  return { family: id.slice(0, open), parts };
}

/**
 * One label per id: an id whose family has other, different ids in the list reads
 * `date=2026-11-02 · CleanOrders` (the parts that differ first, the family after); the others stay whole.
 */
export function distinctTaskLabels(ids: string[]): string[] {
  const split = ids.map(splitTaskId);
  return split.map(({ family, parts }, i) => {
    const others = split.filter((s, j) => s.family === family && ids[j] !== ids[i]);
    if (others.length === 0) return ids[i]!;
    const differs = (part: string) => others.some((o) => !o.parts.includes(part));
    const first = parts.filter(differs);
    return [first.join(', '), family].filter(Boolean).join(' · ');
  });
}

/** `k=v, …` of a fan-out item, the keys whose values differ between the schedule's items first. */
export function itemLabel(item: Record<string, string>, items: Record<string, string>[]): string {
  const varies = (key: string) => new Set(items.map((i) => i[key])).size > 1;
  const keys = Object.keys(item);
  return [...keys.filter(varies), ...keys.filter((k) => !varies(k))].map((k) => `${k}=${item[k]}`).join(', ');
}
