// Finds tasks by name as the user types: exact, then prefix, then word start, then substring, then
// letters in order (so "aggart" finds AggregateArtists). Pure.

export interface SearchHit {
  id: string;
  name: string;
  score: number;
}

function subsequence(query: string, name: string): boolean {
  let i = 0;
  for (const ch of name) if (ch === query[i]) i++;
  return i === query.length;
}

function wordStarts(name: string): string {
  // CamelCase and snake/kebab words: "AggregateArtists" → "aa", "load_raw-data" → "lrd".
  return (name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g) ?? []).map((w) => w[0]!.toLowerCase()).join('');
}

export function scoreName(query: string, name: string): number {
  const q = query.trim().toLowerCase();
  const n = name.toLowerCase();
  if (q.length === 0) return 0;
  if (n === q) return 100;
  if (n.startsWith(q)) return 80;
  if (wordStarts(name).startsWith(q)) return 70;
  const at = n.indexOf(q);
  if (at >= 0) return 60 - Math.min(at, 20);
  if (subsequence(q, n)) return 20;
  return 0;
}

/** Matching tasks, best first; ties keep the shorter name first, then alphabetical. */
export function searchTasks(query: string, tasks: { id: string; name: string }[]): SearchHit[] {
  return tasks
    .map((t) => ({ ...t, score: scoreName(query, t.name) }))
    .filter((h) => h.score > 0)
    .sort((a, b) => b.score - a.score || a.name.length - b.name.length || a.name.localeCompare(b.name));
}
