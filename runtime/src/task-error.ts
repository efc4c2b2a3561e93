// What a failed task's error says in task-failed: name, message, the stack trimmed to the
// pipeline's own frames (the runtime's and Node's internals are noise there), and where it threw.
import { existsSync } from 'node:fs';
import path from 'node:path';

export interface ErrorReport {
  name: string;
  message: string;
  stack?: string;
  location?: { file: string; line: number; column: number };
}

/** This module's file: the runtime's source, or the bundle (CLI, library) the runtime was built into. */
const OWN_FILE = typeof __filename === 'string' ? __filename : '';

const FRAME = /^\s+at\s/;
const FRAME_LOCATION = /\(?((?:file:\/\/)?[^()\s]+):(\d+):(\d+)\)?\s*$/;

const runtimeDirs = new Map<string, boolean>();

/** A directory holding the runtime's sources (source-mapped frames of a bundle point there). */
function isRuntimeSourceDir(dir: string): boolean {
  let known = runtimeDirs.get(dir);
  if (known === undefined) {
    known = ['scheduler.ts', 'task-context.ts', 'worker.ts'].every((f) => existsSync(path.join(dir, f)));
    runtimeDirs.set(dir, known);
  }
  return known;
}

type FrameKind = 'user' | 'internal' | 'neutral';

function frameKind(line: string): { kind: FrameKind; file?: string; line?: number; column?: number } {
  const m = FRAME_LOCATION.exec(line);
  // `at new Promise (<anonymous>)`, `at async Promise.all (index 0)`: no file to judge by.
  if (!m) return { kind: 'neutral' };
  const file = m[1]!.replace(/^file:\/\//, '');
  const where = { file, line: Number(m[2]), column: Number(m[3]) };
  if (file.startsWith('node:') || file === OWN_FILE || isRuntimeSourceDir(path.dirname(file)))
    return { kind: 'internal', ...where };
  return { kind: 'user', ...where };
}

/**
 * Keeps the message lines and the pipeline's frames; drops Node's and the runtime's, and frames
 * without a file unless they sit between two kept frames (`Array.map` inside user code).
 */
export function trimStack(stack: string): string {
  const lines = stack.split('\n');
  const firstFrame = lines.findIndex((l) => FRAME.test(l));
  if (firstFrame < 0) return stack;
  const frames = lines.slice(firstFrame).map((l) => ({ text: l, kind: frameKind(l).kind }));
  const kept: string[] = [];
  let between: string[] = []; // neutral frames since the last kept user frame
  let afterUser = false;
  for (const f of frames) {
    if (f.kind === 'user') {
      kept.push(...between, f.text);
      between = [];
      afterUser = true;
    } else if (f.kind === 'neutral') {
      if (afterUser) between.push(f.text);
    } else {
      between = [];
      afterUser = false;
    }
  }
  return [...lines.slice(0, firstFrame), ...kept].join('\n');
}

/** The first frame in the pipeline's code (not the runtime, Node or node_modules): where it threw. */
export function firstUserFrame(stack: string): ErrorReport['location'] {
  for (const line of stack.split('\n')) {
    if (!FRAME.test(line)) continue;
    const f = frameKind(line);
    if (f.kind !== 'user' || /[\\/]node_modules[\\/]/.test(f.file!)) continue;
    return { file: f.file!, line: f.line!, column: f.column! };
  }
  return undefined;
}

export function describeError(error: unknown): ErrorReport {
  if (error instanceof Error) {
    const out: ErrorReport = { name: error.name, message: error.message };
    if (error.stack) {
      out.stack = trimStack(error.stack);
      const location = firstUserFrame(error.stack);
      if (location) out.location = location;
    }
    return out;
  }
  return { name: 'Error', message: String(error) };
}
