// TypeScript's parser recurses once per nesting level and overflows the stack on tens of thousands
// of brackets or prefix operators. A linear scan tells us beforehand which texts not to parse.
export const MAX_NESTING = 1500;

export function nestingTooDeep(text: string, limit = MAX_NESTING): boolean {
  let depth = 0;
  let run = 0; // consecutive prefix operators (`!!!!x`, `- - - x`) recurse in the parser too
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123 /* ( [ { */) {
      if (++depth > limit) return true;
    } else if (c === 41 || c === 93 || c === 125 /* ) ] } */) {
      if (depth > 0) depth--;
    }
    if (c === 33 || c === 43 || c === 45 || c === 126 /* ! + - ~ */) {
      if (++run > limit) return true;
    } else if (c !== 32 && c !== 9 && c !== 10 && c !== 13) run = 0;
  }
  return false;
}
