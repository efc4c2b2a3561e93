// Turns a chunked JSON-lines byte stream (a child's stdout, a tailed file) into run events.
import { parseEventLine, type RunEvent } from '../../runtime/src/events';

/**
 * Splits text chunks into lines, keeping an incomplete last line until its newline arrives, and
 * parses each line; lines that are not events (stray prints of user code) are handed to `onOther`.
 */
export class EventLineReader {
  private pending = '';

  constructor(private readonly onOther: (line: string) => void = () => {}) {}

  push(chunk: string): RunEvent[] {
    const text = this.pending + chunk;
    const lines = text.split('\n');
    this.pending = lines.pop() ?? '';
    return this.parse(lines);
  }

  /** The stream ended: a last line without a newline still counts. */
  end(): RunEvent[] {
    const rest = this.pending;
    this.pending = '';
    return rest.length > 0 ? this.parse([rest]) : [];
  }

  private parse(lines: string[]): RunEvent[] {
    const events: RunEvent[] = [];
    for (const raw of lines) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line.trim().length === 0) continue;
      const event = parseEventLine(line);
      if (event) events.push(event);
      else this.onOther(line);
    }
    return events;
  }
}
