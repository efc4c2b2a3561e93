// A failed task's stack trace split into the user's frames and the runtime's own: the log panel
// shows the user's, the runtime's (its bundle, Node internals, node_modules) only on demand. Pure.

export interface StackFrame {
  text: string;
  /** A frame of the Plumb runtime, Node itself or a dependency: noise when reading a task's failure. */
  internal: boolean;
}

const INTERNAL = [
  /\(node:|\bat node:/,
  /[/\\]dist[/\\]runtime[/\\]/,
  /[/\\]node_modules[/\\]/,
  /[/\\]runtime[/\\]src[/\\]/,
  /\(<anonymous>\)|\bat <anonymous>/,
  /\(native\)/,
];

/** The `at …` lines of a V8 stack (the message lines before them are left out: shown elsewhere). */
export function stackFrames(stack: string): StackFrame[] {
  return stack
    .split('\n')
    .filter((line) => /^\s+at\s/.test(line))
    .map((line) => ({ text: line.trim(), internal: INTERNAL.some((re) => re.test(line)) }));
}
