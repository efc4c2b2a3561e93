// "Did you mean …?": the known names closest to a mistyped one, for command-line and plumb.toml
// errors. Case, '-' and '_' are ignored when comparing (--date-interval, date_interval, dateInterval).

const fold = (s: string) => s.toLowerCase().replace(/[-_]/g, '');

/** Edit distance: insert, delete, substitute, or swap two neighbours (a typo's usual shapes); each costs 1. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    const up = rows[i - 1]!;
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(up[j]! + 1, row[j - 1]! + 1, up[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row[j] = d;
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/**
 * The candidates close enough to `word` to be what was meant, best first: the same name spelt in
 * another case or separator style, else within a third of the word's length in edits.
 */
export function closestNames(word: string, candidates: Iterable<string>): string[] {
  const folded = fold(word);
  const limit = Math.max(1, Math.floor(folded.length / 3));
  const scored: [string, number][] = [];
  for (const candidate of new Set(candidates)) {
    const d = editDistance(folded, fold(candidate));
    if (d <= limit) scored.push([candidate, d]);
  }
  scored.sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0]));
  const best = scored[0]?.[1];
  return scored.filter(([, d]) => d === best).map(([c]) => c);
}

/** " (did you mean X?)", " (did you mean X or Y?)", or '' when nothing is close. */
export function didYouMean(word: string, candidates: Iterable<string>, show = (c: string) => c): string {
  const close = closestNames(word, candidates);
  if (close.length === 0) return '';
  return ` (did you mean ${close.map(show).join(' or ')}?)`;
}
