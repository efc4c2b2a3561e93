// requires(), output() and yields come as one item, an array or an object of items (nested as
// deep as you like); these walk and map that shape so input() can mirror requires() exactly.

export type Shape<T> =
  T | readonly Shape<T>[] | { readonly [key: string]: Shape<T> } | undefined | null | void;

/** Every item of a shape, depth first, in order. */
export function flattenShape<T>(shape: Shape<T>, isItem: (v: unknown) => v is T): T[] {
  if (shape === undefined || shape === null) return [];
  if (isItem(shape)) return [shape];
  const out: T[] = [];
  const walk = (s: unknown): void => {
    if (s === undefined || s === null) return;
    if (isItem(s)) out.push(s);
    else if (Array.isArray(s)) for (let i = 0; i < s.length; i++) walk(s[i]);
    else if (typeof s === 'object' && !looksLikeTask(s)) for (const x of Object.values(s)) walk(x);
    else out.push(s as T); // not an item: the caller reports it
  };
  walk(shape);
  return out;
}

/**
 * An object with its own run/requires/output methods is a would-be task (a plain object, or one
 * that never went through Task's constructor), not a named group: reported whole, not walked.
 */
function looksLikeTask(value: object): boolean {
  const v = value as Record<string, unknown>;
  return typeof v.run === 'function' || typeof v.requires === 'function' || typeof v.output === 'function';
}

/** The same shape with each item replaced by `fn(item)`. */
export function mapShape<T, U>(shape: Shape<T>, isItem: (v: unknown) => v is T, fn: (item: T) => U): unknown {
  if (shape === undefined || shape === null) return [];
  const walk = (s: unknown): unknown => {
    if (isItem(s)) return fn(s);
    if (Array.isArray(s)) return s.map(walk);
    if (s !== null && typeof s === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s)) out[k] = walk(v);
      return out;
    }
    return s;
  };
  return walk(shape);
}
