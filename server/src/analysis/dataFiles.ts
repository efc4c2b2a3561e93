// The set of files that exist in the workspace, kept for the missing-external-data check: indexed by
// directory so a target pattern with a literal directory looks at one directory only.
import path from 'node:path';
import type { TemplateSegment } from './model';
import { hasPlaceholder, literalPrefix, templateRegExp } from './templates';

export class DataFiles {
  private readonly byDir = new Map<string, Set<string>>();
  /** Every directory that held a file, and those above it: answers "any file under here?" at once. */
  private readonly dirsWithFiles = new Set<string>();
  /** The folders whose files were read (none: every path counts as read, for sets built by hand). */
  private roots: readonly string[] = [];
  private answers = new WeakMap<TemplateSegment[], boolean>();
  /** Increases on every change, so callers can tell whether an earlier answer still holds. */
  version = 0;

  constructor(paths: Iterable<string> = []) {
    for (const p of paths) this.add(p);
  }

  add(file: string): void {
    const dir = path.dirname(file);
    let names = this.byDir.get(dir);
    if (!names) {
      this.byDir.set(dir, (names = new Set()));
      for (let d = dir; !this.dirsWithFiles.has(d); d = path.dirname(d)) {
        this.dirsWithFiles.add(d);
        if (path.dirname(d) === d) break;
      }
    }
    if (!names.has(path.basename(file))) {
      names.add(path.basename(file));
      this.changed();
    }
  }

  delete(file: string): void {
    if (this.byDir.get(path.dirname(file))?.delete(path.basename(file))) this.changed();
  }

  has(file: string): boolean {
    return this.byDir.get(path.dirname(file))?.has(path.basename(file)) ?? false;
  }

  /** Every file in a directory and the directories under it (a folder deleted with one event). */
  filesUnder(dir: string): string[] {
    const out: string[] = [];
    if (!this.dirsWithFiles.has(dir)) return out;
    const prefix = dir + path.sep;
    for (const [d, names] of this.byDir)
      if (d === dir || d.startsWith(prefix)) for (const name of names) out.push(path.join(d, name));
    return out;
  }

  /** Every file with this base name (e.g. each plumb.toml). */
  named(basename: string): string[] {
    const out: string[] = [];
    for (const [dir, names] of this.byDir) if (names.has(basename)) out.push(path.join(dir, basename));
    return out;
  }

  /** Records the folders now read in full: only paths inside them can be known to be missing. */
  cover(roots: readonly string[]): void {
    this.roots = roots.map((r) => (r.endsWith(path.sep) ? r : r + path.sep));
  }

  /**
   * Whether a template's files would be in this set if they existed: its literal directory lies in
   * a folder read. A sibling project's data (`../other/streams/…`) outside them is not known.
   */
  covers(segments: TemplateSegment[]): boolean {
    if (this.roots.length === 0) return true;
    const prefix = literalPrefix(segments);
    return this.roots.some((r) => prefix.startsWith(r));
  }

  /** Whether any existing file matches an absolute path template. */
  anyMatch(segments: TemplateSegment[]): boolean {
    // Keyed by the segments array itself: outputs of unchanged declarations keep theirs.
    const cached = this.answers.get(segments);
    if (cached !== undefined) return cached;
    const answer = this.search(segments);
    this.answers.set(segments, answer);
    return answer;
  }

  private search(segments: TemplateSegment[]): boolean {
    if (!hasPlaceholder(segments)) return this.has(segments.map((s) => ('text' in s ? s.text : '')).join(''));
    const pattern = templateRegExp(segments);
    const first = segments.findIndex((s) => !('text' in s));
    const before = segments
      .slice(0, first)
      .map((s) => ('text' in s ? s.text : ''))
      .join('');
    const literalDir = !segments.slice(first).some((s) => 'text' in s && s.text.includes('/'));
    if (literalDir) {
      const dir = before.slice(0, before.lastIndexOf('/')) || '/';
      for (const name of this.byDir.get(dir) ?? []) if (pattern.test(path.join(dir, name))) return true;
      return false;
    }
    for (const [dir, names] of this.byDir) {
      if (!dir.startsWith(before.slice(0, before.lastIndexOf('/')))) continue;
      for (const name of names) if (pattern.test(path.join(dir, name))) return true;
    }
    return false;
  }

  private changed(): void {
    this.version++;
    this.answers = new WeakMap();
  }
}
