// The text and syntax of the files the analysis reads, versioned: open documents by their editor
// version, files on disk by a counter bumped on each change. No TypeScript program and no type
// checker: the analysis reads syntax and resolves names itself, so each file is parsed on its own,
// only when its summary is needed, and its tree is dropped once summarised.
import ts from 'typescript';
import { nestingTooDeep } from './nestingGuard';
import { tooLargeReason, type ReadOutcome, type WorkspaceFiles } from './workspaceFiles';

interface OpenDocument {
  text: string;
  version: number;
}

export type ParseOutcome = { sourceFile: ts.SourceFile } | { refused: string };

/** Enough of a file over the cap to read its imports (they come first). */
export const IMPORT_HEAD_BYTES = 64 * 1024;

export class WorkspaceSources {
  private readonly open = new Map<string, OpenDocument>();
  private readonly diskVersion = new Map<string, number>();

  constructor(private readonly workspace: WorkspaceFiles) {}

  openFiles(): string[] {
    return [...this.open.keys()];
  }

  isOpen(file: string): boolean {
    return this.open.has(file);
  }

  setOpenDocument(file: string, text: string, version: number): void {
    this.open.set(file, { text, version });
  }

  closeDocument(file: string): void {
    if (this.open.delete(file)) this.diskChanged(file);
  }

  diskChanged(file: string): void {
    this.diskVersion.set(file, (this.diskVersion.get(file) ?? 0) + 1);
  }

  /** Changes whenever the text the analysis would read changes. */
  versionOf(file: string): string {
    const doc = this.open.get(file);
    return doc ? `open:${doc.version}` : `disk:${this.diskVersion.get(file) ?? 0}`;
  }

  /** Open documents as the editor has them (still capped: the parse costs the same), else the disk. */
  read(file: string): ReadOutcome | undefined {
    const doc = this.open.get(file);
    if (!doc) return this.workspace.read(file);
    if (doc.text.length <= this.workspace.cap) return { text: doc.text };
    const bytes = Buffer.byteLength(doc.text);
    return bytes > this.workspace.cap
      ? { refused: tooLargeReason(bytes, this.workspace.cap) }
      : { text: doc.text };
  }

  /** The text whose imports decide whether a file can hold tasks: all of it, or its head when over the cap. */
  importText(file: string): { text: string; whole: boolean } | undefined {
    const doc = this.open.get(file);
    if (doc) {
      const whole = doc.text.length <= IMPORT_HEAD_BYTES;
      return { text: whole ? doc.text : doc.text.slice(0, IMPORT_HEAD_BYTES), whole };
    }
    const outcome = this.workspace.read(file);
    if (outcome && 'text' in outcome) return { text: outcome.text, whole: true };
    const head = this.workspace.readHead(file, IMPORT_HEAD_BYTES);
    return head === undefined ? undefined : { text: head, whole: false };
  }

  /** The syntax tree of a file, or why it is not parsed; undefined when it does not exist. */
  parse(file: string): ParseOutcome | undefined {
    const outcome = this.read(file);
    if (outcome === undefined) return undefined;
    if ('refused' in outcome) return outcome;
    if (nestingTooDeep(outcome.text)) return { refused: 'it is nested too deeply to analyse safely' };
    try {
      return {
        sourceFile: ts.createSourceFile(
          file,
          outcome.text,
          {
            languageVersion: ts.ScriptTarget.Latest,
            jsDocParsingMode: ts.JSDocParsingMode.ParseNone,
          },
          true,
        ),
      };
    } catch (error) {
      // A parser crash on some text the nesting guard did not foresee (a stack overflow).
      return { refused: `the TypeScript parser failed on it (${(error as Error).message})` };
    }
  }
}
