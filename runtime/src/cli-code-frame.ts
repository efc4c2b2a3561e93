// Why a pipeline file would not load, said at the user's line: `file:line:column`, the lines
// around it with a caret, and only the user's own stack frames (never esbuild's, Node's or the
// runtime's). A syntax error's position comes from esbuild; a throw at import from its
// source-mapped stack.
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** `before`/`after` lines around 1-based `line`, with a caret under 1-based `column`. */
export function codeFrame(text: string, line: number, column: number, before = 2, after = 2): string {
  const lines = text.split(/\r?\n/);
  const first = Math.max(1, line - before);
  const last = Math.min(lines.length, line + after);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const body = lines[n - 1] ?? '';
    out.push(`${n === line ? '>' : ' '} ${String(n).padStart(width)} | ${body}`.trimEnd());
    if (n === line) {
      // Tabs stay tabs so the caret lines up under them.
      const lead = body.slice(0, Math.max(0, column - 1)).replace(/[^\t]/g, ' ');
      out.push(`  ${' '.repeat(width)} | ${lead}^`);
    }
  }
  return out.join('\n');
}

export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

interface EsbuildFailure {
  errors: { text: string; location?: { file: string; line: number; column: number } | null }[];
}

const isEsbuildFailure = (e: unknown): e is EsbuildFailure =>
  typeof e === 'object' && e !== null && Array.isArray((e as EsbuildFailure).errors);

/** `at fn (file:line:col)` or `at file:line:col`. */
const FRAME = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/;

/**
 * The error's own frames that are the user's: not Node's internals, not `runtimeFiles` (the CLI
 * and its bundler), not node_modules/esbuild.
 */
export function userFrames(
  stack: string,
  isRuntimeFile: (file: string) => boolean,
): { text: string; at: SourcePosition }[] {
  const out: { text: string; at: SourcePosition }[] = [];
  for (const text of stack.split('\n')) {
    const m = FRAME.exec(text);
    if (!m) continue;
    const file = m[1]!.replace(/^file:\/\//, '');
    if (file.startsWith('node:') || !path.isAbsolute(file) || isRuntimeFile(file)) continue;
    out.push({ text: text.trim(), at: { file, line: Number(m[2]), column: Number(m[3]) } });
  }
  return out;
}

function shown(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

function frameAt(at: SourcePosition): string {
  try {
    return `\n${codeFrame(readFileSync(at.file, 'utf8'), at.line, at.column)}`;
  } catch {
    return '';
  }
}

/** One message for a load failure: where (file:line:column), what, the code frame, the user's frames. */
export function describeLoadError(e: unknown, isRuntimeFile: (file: string) => boolean): string {
  if (isEsbuildFailure(e)) {
    return e.errors
      .map((err) => {
        const loc = err.location;
        if (!loc) return `SyntaxError: ${err.text}`;
        const at = { file: path.resolve(loc.file), line: loc.line, column: loc.column + 1 };
        return `${shown(at.file)}:${at.line}:${at.column}: SyntaxError: ${err.text}${frameAt(at)}`;
      })
      .join('\n');
  }
  if (!(e instanceof Error)) return String(e);
  const head = `${e.name}: ${e.message}`;
  // Node's own syntax errors (plain .js pipelines) put `file:line` first in the stack.
  const v8Syntax = e instanceof SyntaxError ? /^(\/[^\n]+?):(\d+)\n/.exec(e.stack ?? '') : null;
  if (v8Syntax) {
    const at = { file: v8Syntax[1]!, line: Number(v8Syntax[2]), column: 1 };
    return `${shown(at.file)}:${at.line}: ${head}${frameAt(at)}`;
  }
  const frames = userFrames(e.stack ?? '', isRuntimeFile);
  const top = frames[0];
  if (!top) return head;
  return [
    `${shown(top.at.file)}:${top.at.line}:${top.at.column}: ${head}${frameAt(top.at)}`,
    ...frames.map((f) => `    ${f.text}`),
  ].join('\n');
}
