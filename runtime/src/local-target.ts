// A file or a directory on the local disk as a task output: atomic writes (a file, a stream, a
// whole directory), text/JSON/lines helpers.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AtomicDirectory, atomicWriteDirectory } from './atomic-directory';
import { AtomicWriter, atomicWriteFile, atomicWriteFileSync, pendingTempOf } from './atomic-write';
import { outputPath } from './operations/test-mode';
import { getProjectRoot } from './project-root';
import { type Target } from './target';

export class LocalTarget implements Target {
  /**
   * Absolute path: relative paths resolve against the project root (the plumb.toml directory);
   * in test mode, under the test area instead (operations/test-mode.ts).
   */
  readonly path: string;

  constructor(file: string) {
    this.path = outputPath(path.isAbsolute(file) ? file : path.resolve(getProjectRoot(), file));
  }

  /** Durable mode: a synchronous write commits when its task ends; until then its own reads see it. */
  exists(): boolean {
    return existsSync(this.path) || pendingTempOf(this.path) !== undefined;
  }

  readText(): string {
    return readFileSync(pendingTempOf(this.path) ?? this.path, 'utf8');
  }

  readJson<T = unknown>(): T {
    return JSON.parse(this.readText()) as T;
  }

  /** The file's lines, without a trailing empty line. */
  readLines(): string[] {
    const text = this.readText();
    if (text === '') return [];
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return lines;
  }

  /** Writes the whole file atomically (small files synchronously: cheaper than a thread-pool trip). */
  writeText(text: string): Promise<void> {
    return atomicWriteFile(this.path, text);
  }

  writeTextSync(text: string): void {
    atomicWriteFileSync(this.path, text);
  }

  writeJson(value: unknown, indent = 2): Promise<void> {
    return this.writeText(`${JSON.stringify(value, null, indent)}\n`);
  }

  writeLines(lines: Iterable<string>): Promise<void> {
    let text = '';
    for (const line of lines) text += `${line}\n`;
    return this.writeText(text);
  }

  writeBytes(data: Uint8Array): Promise<void> {
    return atomicWriteFile(this.path, data);
  }

  /** A streaming writer for large outputs; nothing appears at `path` until `commit()`. */
  openWriter(): AtomicWriter {
    return new AtomicWriter(this.path);
  }

  /** Streams into the file through `fill`; commits when it resolves, discards when it throws. */
  async write(fill: (writer: AtomicWriter) => Promise<void> | void): Promise<void> {
    const writer = this.openWriter();
    try {
      await fill(writer);
    } catch (e) {
      await writer.abort();
      throw e;
    }
    await writer.commit();
  }

  /**
   * A directory output, written whole: `fill` writes into an empty temporary directory beside
   * `path` (given as its argument), renamed to `path` when `fill` resolves and removed when it
   * throws. Until then nothing is at `path`, so a task killed half way is not complete. Write
   * only into the directory `fill` is given, never to `path` itself.
   */
  writeDirectory(fill: (dir: string) => Promise<void> | void): Promise<void> {
    return atomicWriteDirectory(this.path, fill);
  }

  /** The same by hand: write into `.path` of the result, then `commit()` (or `abort()`). */
  openDirectoryWriter(): AtomicDirectory {
    return new AtomicDirectory(this.path);
  }

  toString(): string {
    return this.path;
  }
}
