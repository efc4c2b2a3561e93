// Appends a run's event lines to `.plumb/runs/<runId>.jsonl`: buffered, so a run of 100,000 tasks
// costs a few hundred writes, not a million, and flushed on a short timer so the file follows the run.
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const FLUSH_CHARS = 256 * 1024;
const FLUSH_MS = 200;

export class RunLogWriter {
  readonly file: string;
  // One growing string (V8 concatenates without copying until it is written), not an array to join.
  private buffer = '';
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(projectRoot: string, runId: string) {
    const dir = path.join(projectRoot, '.plumb', 'runs');
    mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, `${runId}.jsonl`);
  }

  append(line: string): void {
    this.buffer += `${line}\n`;
    if (this.buffer.length >= FLUSH_CHARS) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), FLUSH_MS);
      this.timer.unref();
    }
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0) return;
    const text = this.buffer;
    this.buffer = '';
    appendFileSync(this.file, text);
  }
}
