// Follows a file another process appends to (the events file of a debugged run), chunk by chunk.
import { open, type FileHandle } from 'node:fs/promises';

/**
 * Reads what was appended since the last read, on demand. Polling rather than fs.watch: watch
 * events are coalesced or missing on some file systems, and a debug run is slow enough for 50 ms.
 */
export class FileTail {
  private handle: FileHandle | undefined;
  private offset = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private reading = false;
  private readonly decoder = new TextDecoder('utf-8');

  constructor(
    private readonly file: string,
    private readonly onText: (text: string) => void,
  ) {}

  /** Reads everything appended since the last call; the file may not exist yet. */
  async readNew(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      if (!this.handle) {
        try {
          this.handle = await open(this.file, 'r');
        } catch {
          return;
        }
      }
      const buffer = Buffer.alloc(64 * 1024);
      for (;;) {
        const { bytesRead } = await this.handle.read(buffer, 0, buffer.length, this.offset);
        if (bytesRead === 0) break;
        this.offset += bytesRead;
        // stream: true keeps a multi-byte character split across reads whole.
        const text = this.decoder.decode(buffer.subarray(0, bytesRead), { stream: true });
        if (text.length > 0) this.onText(text);
      }
    } finally {
      this.reading = false;
    }
  }

  start(intervalMs = 50): void {
    this.timer ??= setInterval(() => void this.readNew(), intervalMs);
  }

  /** Stops polling after a last read, so nothing written before the end is lost. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    while (this.reading) await new Promise((resolve) => setTimeout(resolve, 5));
    await this.readNew();
    await this.handle?.close();
    this.handle = undefined;
  }
}
