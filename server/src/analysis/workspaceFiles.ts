// Reads files of a workspace the editor opened but did not write, without trusting them: regular
// files only (a FIFO would block the server for ever, a link to /dev/zero would never end), nothing
// past a size cap, and no link from inside the workspace to a file outside it.
import fs from 'node:fs';
import path from 'node:path';

/**
 * Largest source file the analysis parses. Measured (2026-11-27, 2 cores at load 13, a file of
 * generated task classes edited in the editor): each edit of it costs about 1 s of CPU per MB of
 * source (parse, summary, link; mostly garbage collection) and 5 MB of code lenses per MB. Hand-written
 * pipeline files are tens of KB; 1 MB leaves room for generated ones while bounding an edit of one to
 * about a second (their lenses go out unresolved, taskLenses.ts).
 */
export const MAX_SOURCE_BYTES = 1024 * 1024;

export type ReadOutcome =
  | { text: string }
  /** Not read: `reason` completes "Plumb did not analyse this file: …". */
  | { refused: string };

/** Opening without O_NONBLOCK would wait for a FIFO's writer before we could even fstat it. */
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

export function describeBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1).replace(/\.0$/, '')} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
}

export function tooLargeReason(bytes: number, cap: number): string {
  return `it is too large to analyse (${describeBytes(bytes)}; the limit is ${describeBytes(cap)})`;
}

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export class WorkspaceFiles {
  private readonly realRoots: string[];

  constructor(
    private readonly roots: readonly string[],
    readonly cap = MAX_SOURCE_BYTES,
  ) {
    this.realRoots = roots.map((r) => {
      try {
        return fs.realpathSync.native(r);
      } catch {
        return r;
      }
    });
  }

  /** Whether a path lies (by its real path) inside a workspace folder. */
  isInsideRealRoots(realFile: string): boolean {
    return this.realRoots.some((r) => isInside(realFile, r));
  }

  /**
   * A path inside a workspace folder that resolves to somewhere outside every folder. Links under
   * node_modules are exempt: npm workspaces, `npm link` and pnpm link packages that way, and
   * dependencies are not the workspace's own files.
   */
  linksOut(file: string): boolean {
    return this.realpath(file) === undefined;
  }

  /**
   * The real path, for the compiler host: a link out of the workspace keeps its own path (so the
   * read of it is refused) and is reported as undefined here.
   */
  realpath(file: string): string | undefined {
    let real: string;
    try {
      real = fs.realpathSync.native(file);
    } catch {
      return file; // missing: nothing to follow
    }
    if (real === file) return real;
    const root = this.roots.find((r) => isInside(file, r));
    if (root === undefined) return real;
    if (path.relative(root, file).split(path.sep).includes('node_modules')) return real;
    return this.isInsideRealRoots(real) ? real : undefined;
  }

  /**
   * Whether the workspace should count this path as one of its files: a regular file (or a link to
   * one inside the workspace). Never opens it.
   */
  isAcceptable(file: string): boolean {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return false;
    }
    return stat.isFile() && !this.linksOut(file);
  }

  /** The text of a file, a refusal, or undefined when it does not exist. */
  read(file: string): ReadOutcome | undefined {
    if (this.linksOut(file)) return { refused: 'it is a link to a file outside the workspace' };
    let fd: number;
    try {
      fd = fs.openSync(file, OPEN_FLAGS);
    } catch {
      return undefined;
    }
    try {
      const stat = fs.fstatSync(fd);
      if (!stat.isFile()) return { refused: 'it is not a regular file' };
      if (stat.size > this.cap) return { refused: tooLargeReason(stat.size, this.cap) };
      // Read at most cap + 1 bytes: a file growing while we read still cannot exceed the cap.
      const buffer = Buffer.allocUnsafe(Math.min(stat.size, this.cap) + 1);
      let length = 0;
      for (;;) {
        const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
        if (n === 0) break;
        length += n;
        if (length === buffer.length) break;
      }
      if (length > this.cap) return { refused: tooLargeReason(length, this.cap) };
      return { text: decode(buffer.subarray(0, length)) };
    } catch {
      return undefined;
    } finally {
      fs.closeSync(fd);
    }
  }

  /** The first `bytes` of a regular file whatever its size (for its imports), or undefined. */
  readHead(file: string, bytes: number): string | undefined {
    if (this.linksOut(file)) return undefined;
    let fd: number;
    try {
      fd = fs.openSync(file, OPEN_FLAGS);
    } catch {
      return undefined;
    }
    try {
      if (!fs.fstatSync(fd).isFile()) return undefined;
      const buffer = Buffer.allocUnsafe(bytes);
      const n = fs.readSync(fd, buffer, 0, bytes, 0);
      return decode(buffer.subarray(0, n));
    } catch {
      return undefined;
    } finally {
      fs.closeSync(fd);
    }
  }

  /** The text, or undefined when missing or refused (for reads that have nowhere to say why). */
  readText(file: string): string | undefined {
    const outcome = this.read(file);
    return outcome && 'text' in outcome ? outcome.text : undefined;
  }
}

/** As TypeScript's own sys.readFile: UTF-16 by byte-order mark, else UTF-8 without its mark. */
function decode(buffer: Buffer): string {
  if (buffer.length >= 2 && buffer[0] === 0xfe && buffer[1] === 0xff) {
    const swapped = Buffer.from(buffer.subarray(0, buffer.length & ~1));
    swapped.swap16();
    return swapped.toString('utf16le', 2);
  }
  if (buffer.length >= 2 && buffer[0] === 0xff && buffer[1] === 0xfe) return buffer.toString('utf16le', 2);
  if (buffer.length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf)
    return buffer.toString('utf8', 3);
  return buffer.toString('utf8');
}
