// Where a CLI run's event lines go: stdout (--events jsonl) or a file (--events-file), buffered so
// a large run costs few writes, flushed on the next turn of the event loop so consumers see it live
// (the scheduler starts user code a turn later, so a blocking run() never hides its task-running).
import { openSync, writeSync } from 'node:fs';

export class BufferedLines {
  private buffer: string[] = [];
  private scheduled = false;

  constructor(private readonly sink: (text: string) => void) {}

  push(line: string): void {
    this.buffer.push(line);
    if (this.buffer.length >= 2000) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.buffer.length === 0) return;
    const text = `${this.buffer.join('\n')}\n`;
    this.buffer = [];
    this.sink(text);
  }
}

export function stdoutLines(): BufferedLines {
  return new BufferedLines((text) => process.stdout.write(text));
}

export function fileLines(file: string): BufferedLines {
  // Opened once, on the first write: a flush per task (one worker, a live consumer) is one syscall.
  let fd: number | undefined;
  return new BufferedLines((text) => {
    fd ??= openSync(file, 'a');
    const bytes = Buffer.from(text);
    for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at);
  });
}

/** Resolves once everything written to stdout so far has been handed to the OS. */
export function drainStdout(): Promise<void> {
  return new Promise((resolve) => process.stdout.write('', () => resolve()));
}
