// Waiting for stdout: the last human or event output reaches the OS before the process exits.

/** Resolves once everything written to stdout so far has been handed to the OS. */
export function drainStdout(): Promise<void> {
  return new Promise((resolve) => process.stdout.write('', () => resolve()));
}
