// Whether two target path templates can produce the same path. A placeholder stands for any text
// without '/', narrowed to digits and date punctuation when it is a numeric or calendar parameter
// (so `streams_${date}.tsv` and `streams_latest.tsv` do not clash).
import type { TaskFamily, TemplateSegment } from './model';

type Token = number | { wildcard: 'any' | 'calendar' };

const CALENDAR_TYPES = new Set(['date', 'dateInterval', 'datetime', 'hour', 'int', 'float']);
const CALENDAR_CHARS = new Set('0123456789-:.TZ+'.split('').map((c) => c.charCodeAt(0)));
const SLASH = 47;

function tokens(segments: TemplateSegment[], family: TaskFamily): Token[] {
  const out: Token[] = [];
  for (const s of segments) {
    if ('text' in s) for (let i = 0; i < s.text.length; i++) out.push(s.text.charCodeAt(i));
    else {
      const type = s.param ? family.params.find((p) => p.name === s.param)?.type : undefined;
      out.push({ wildcard: type && CALENDAR_TYPES.has(type) ? 'calendar' : 'any' });
    }
  }
  return out;
}

function accepts(w: { wildcard: 'any' | 'calendar' }, c: number): boolean {
  return c !== SLASH && (w.wildcard === 'any' || CALENDAR_CHARS.has(c));
}

export function templatesOverlap(
  a: TemplateSegment[],
  b: TemplateSegment[],
  fa: TaskFamily,
  fb: TaskFamily,
): boolean {
  let A = tokens(a, fa);
  let B = tokens(b, fb);
  // Equal literal heads and tails decide nothing: strip them so the table stays small.
  let head = 0;
  while (head < A.length && head < B.length && typeof A[head] === 'number' && A[head] === B[head]) head++;
  let tail = 0;
  while (
    tail < A.length - head &&
    tail < B.length - head &&
    typeof A[A.length - 1 - tail] === 'number' &&
    A[A.length - 1 - tail] === B[B.length - 1 - tail]
  ) {
    tail++;
  }
  A = A.slice(head, A.length - tail);
  B = B.slice(head, B.length - tail);
  const n = A.length;
  const m = B.length;
  // Two different literal characters facing each other at either end: no common path.
  if (typeof A[0] === 'number' && typeof B[0] === 'number') return false;
  if (typeof A[n - 1] === 'number' && typeof B[m - 1] === 'number') return false;
  // can[i][j]: the rest of A from i and the rest of B from j can match a common string.
  const can = new Uint8Array((n + 1) * (m + 1));
  const at = (i: number, j: number): boolean => can[i * (m + 1) + j] === 1;
  for (let i = n; i >= 0; i--) {
    for (let j = m; j >= 0; j--) {
      let ok = i === n && j === m;
      const x = A[i];
      const y = B[j];
      if (!ok && x !== undefined && typeof x !== 'number') {
        ok = at(i + 1, j) || (typeof y === 'number' && accepts(x, y) && at(i, j + 1));
      }
      if (!ok && y !== undefined && typeof y !== 'number') {
        ok = at(i, j + 1) || (typeof x === 'number' && accepts(y, x) && at(i + 1, j));
      }
      if (!ok && typeof x === 'number' && typeof y === 'number') ok = x === y && at(i + 1, j + 1);
      can[i * (m + 1) + j] = ok ? 1 : 0;
    }
  }
  return at(0, 0);
}
