// The TypeScript program over the workspace, kept by a LanguageService whose host versions every
// file: open documents by their editor version, files on disk by a counter bumped on each change.
// An edit re-parses only the edited file; every other SourceFile object is reused, which is what
// lets the per-file summaries be cached by SourceFile identity.
import ts from 'typescript';
import { nestingTooDeep } from './nestingGuard';
import { tooLargeReason, type ReadOutcome, type WorkspaceFiles } from './workspaceFiles';

interface OpenDocument {
  text: string;
  version: number;
}

export class WorkspaceProgram {
  private readonly roots = new Set<string>();
  private readonly open = new Map<string, OpenDocument>();
  private readonly diskVersion = new Map<string, number>();
  private readonly snapshots = new Map<string, { version: string; snapshot: ts.IScriptSnapshot }>();
  /** Files we refuse to parse (and why), keyed by the version that was refused. */
  private readonly refused = new Map<string, { version: string; reason: string }>();
  /** Files given a new snapshot since the last program that built without throwing. */
  private suspects = new Set<string>();
  private projectVersion = 0;
  private readonly service: ts.LanguageService;

  constructor(
    private readonly options: ts.CompilerOptions,
    private readonly workspace: WorkspaceFiles,
  ) {
    const host: ts.LanguageServiceHost = {
      getProjectVersion: () => String(this.projectVersion),
      getScriptFileNames: () => [...this.roots, ...[...this.open.keys()].filter((f) => !this.roots.has(f))],
      getScriptVersion: (f) => this.versionOf(f),
      getScriptSnapshot: (f) => this.snapshotOf(f),
      getCurrentDirectory: () => ts.sys.getCurrentDirectory(),
      getCompilationSettings: () => this.options,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: (f) => this.open.has(f) || ts.sys.fileExists(f),
      readFile: (f) => this.textOf(f),
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
      // A link out of the workspace keeps its own path, so the read of it is refused.
      realpath: (f) => this.workspace.realpath(f) ?? f,
      useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
    };
    this.service = ts.createLanguageService(host, ts.createDocumentRegistry());
  }

  setRoots(files: Iterable<string>): void {
    this.roots.clear();
    for (const f of files) this.roots.add(f);
    this.projectVersion++;
  }

  addRoot(file: string): void {
    if (!this.roots.has(file)) {
      this.roots.add(file);
      this.projectVersion++;
    }
  }

  removeRoot(file: string): void {
    if (this.roots.delete(file)) this.projectVersion++;
    this.diskChanged(file);
  }

  rootFiles(): string[] {
    return [...new Set([...this.roots, ...this.open.keys()])];
  }

  isOpen(file: string): boolean {
    return this.open.has(file);
  }

  setOpenDocument(file: string, text: string, version: number): void {
    this.open.set(file, { text, version });
    this.projectVersion++;
  }

  closeDocument(file: string): void {
    if (this.open.delete(file)) {
      this.diskChanged(file);
    }
  }

  diskChanged(file: string): void {
    this.diskVersion.set(file, (this.diskVersion.get(file) ?? 0) + 1);
    this.projectVersion++;
  }

  /** Why a file was left unparsed, when it was. */
  refusal(file: string): string | undefined {
    const r = this.refused.get(file);
    return r && r.version === this.versionOf(file) ? r.reason : undefined;
  }

  program(): ts.Program {
    try {
      return this.build();
    } catch (error) {
      // A parser crash on some new text (stack overflow the guard did not foresee): find which of the
      // files changed since the last good program crashes on its own, refuse those, and retry.
      for (const file of this.suspects) {
        const text = this.textOf(file);
        if (text === undefined) continue;
        try {
          ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
        } catch (e) {
          this.refuse(file, `the TypeScript parser failed on it (${(e as Error).message})`);
        }
      }
      try {
        return this.build();
      } catch {
        for (const file of this.suspects)
          this.refuse(file, `the TypeScript parser failed (${(error as Error).message})`);
        return this.build();
      }
    }
  }

  private build(): ts.Program {
    const program = this.service.getProgram();
    if (!program) throw new Error('the language service returned no program');
    this.suspects = new Set();
    return program;
  }

  private refuse(file: string, reason: string): void {
    this.refused.set(file, { version: this.versionOf(file), reason });
    this.snapshots.delete(file);
    this.projectVersion++;
  }

  private versionOf(file: string): string {
    const doc = this.open.get(file);
    return doc ? `open:${doc.version}` : `disk:${this.diskVersion.get(file) ?? 0}`;
  }

  private textOf(file: string): string | undefined {
    const outcome = this.read(file);
    return outcome && 'text' in outcome ? outcome.text : undefined;
  }

  /** Open documents as the editor has them (still capped: the parse costs the same), else the disk. */
  private read(file: string): ReadOutcome | undefined {
    const doc = this.open.get(file);
    if (!doc) return this.workspace.read(file);
    if (doc.text.length <= this.workspace.cap) return { text: doc.text };
    const bytes = Buffer.byteLength(doc.text);
    return bytes > this.workspace.cap
      ? { refused: tooLargeReason(bytes, this.workspace.cap) }
      : { text: doc.text };
  }

  private snapshotOf(file: string): ts.IScriptSnapshot | undefined {
    const version = this.versionOf(file);
    const cached = this.snapshots.get(file);
    if (cached?.version === version) return cached.snapshot;
    const outcome = this.read(file);
    if (outcome === undefined) return undefined;
    // A refused file gets an empty snapshot: one over the size cap costs no parse.
    let text = '';
    if ('refused' in outcome) this.refused.set(file, { version, reason: outcome.refused });
    else if (!this.refusal(file)) {
      text = outcome.text;
      if (nestingTooDeep(text)) {
        this.refused.set(file, { version, reason: 'it is nested too deeply to analyse safely' });
        text = '';
      }
    }
    const snapshot = ts.ScriptSnapshot.fromString(text);
    this.snapshots.set(file, { version, snapshot });
    this.suspects.add(file);
    return snapshot;
  }
}
