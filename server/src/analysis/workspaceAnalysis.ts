// The analysis of a whole workspace: keeps the set of files that can hold tasks, the data-file set
// and the per-file summaries in step with documents and the disk, and on demand links them into task
// families, a graph and diagnostics. Never executes workspace code, never builds a type checker.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { AnalysisResult, type TaskInfoCache } from './analysisResult';
import { CompilerOptionsByDirectory } from './compilerOptions';
import { DataFiles } from './dataFiles';
import { emptySummary, summariseFile } from './fileSummary';
import type { FileSummary } from './model';
import { NameResolver, type ResolutionCache } from './nameResolution';
import { linkWorkspace, newLinkCache, type LinkCache } from './taskFamilies';
import type { TaskGraph } from './taskGraph';
import { TaskFileSet, type ImportHost } from './taskFileSet';
import { changesSinceScan } from './scanRecheck';
import { isInNonSourceDir, isModuleFile, isSkippedPath, isSourceFile, scanWorkspace } from './workspaceScan';
import { WorkspaceFiles } from './workspaceFiles';
import { WorkspaceSources } from './workspaceSources';

export type FileChange = { file: string; kind: 'created' | 'changed' | 'deleted' };

export class WorkspaceAnalysis {
  /** Replaced (not edited) when the workspace is read afresh: results keep the set they were made with. */
  dataFiles = new DataFiles();
  /** Every read of a workspace file goes through it: regular files, under the cap, no links out. */
  private readonly workspace: WorkspaceFiles;
  private readonly moduleHost: ts.ModuleResolutionHost;
  private readonly options: CompilerOptionsByDirectory;
  private readonly sources: WorkspaceSources;
  /** Which sources can hold tasks: only those are summarised (and what their names lead to). */
  private taskFileSet: TaskFileSet;
  private readonly importHost: ImportHost;
  /** Per file, the summary of the version it was read at. */
  private readonly summaries = new Map<string, { version: string; summary: FileSummary }>();
  /** Module specifier → resolved file, per importing file summary. */
  private moduleTargets = new WeakMap<FileSummary, Map<string, string | null>>();
  private resolutions: ResolutionCache = new WeakMap();
  private linkCache: LinkCache = newLinkCache();
  private readonly infoCache: TaskInfoCache = new WeakMap();
  /** The last graph: the next one reuses its components and counts when the edges did not change. */
  private previousGraph: TaskGraph | undefined;
  private readonly projectRoots = new Map<string, string>();
  private readonly runtimeFiles = new Map<string, boolean>();
  private resolutionCache: ts.ModuleResolutionCache;
  private readonly packageNames = new Map<string, string | null>();
  /** Package directory under node_modules → whether it depends on plumb-pipelines. */
  private readonly packageDeps = new Map<string, boolean>();
  private readonly openTexts = new Map<string, string>();
  private version = 0;
  /** Analyses started (failed ones too): each marks the summaries it holds with its own number. */
  private runs = 0;
  /** A failure may have left what events taught us incomplete: read the folders afresh first. */
  private unsure = false;
  /** When the last scan began (ms since the epoch). */
  private scannedAt = 0;
  /** Log sink for per-file failures: the analysis keeps going, the shell reports them. */
  log: (message: string) => void = () => undefined;

  constructor(readonly roots: string[]) {
    this.workspace = new WorkspaceFiles(roots);
    this.options = new CompilerOptionsByDirectory(roots, (f) => this.workspace.readText(f));
    this.sources = new WorkspaceSources(this.workspace);
    this.moduleHost = {
      ...ts.sys,
      readFile: (f) => this.workspace.readText(f),
      realpath: (f) => this.workspace.realpath(f) ?? f,
    };
    this.resolutionCache = ts.createModuleResolutionCache(ts.sys.getCurrentDirectory(), (f) => f);
    this.importHost = {
      importText: (f) => this.sources.importText(f),
      resolve: (specifier, from) => this.resolveModule(specifier, from),
      isRuntimeFile: (f) => this.isRuntimeFile(f),
      isDependencyOfRuntime: (f) => this.isDependencyOfRuntime(f),
      isWorkspaceSource: (f) => this.isWorkspaceSource(f),
    };
    this.taskFileSet = new TaskFileSet(this.importHost);
  }

  /** Reads the workspace folders from disk: the sources' imports and the data-file set. */
  scan(): void {
    this.scannedAt = Date.now();
    const { sources, files } = scanWorkspace(this.roots, this.workspace);
    for (const f of sources) this.taskFileSet.update(f);
    for (const f of files) this.dataFiles.add(f);
    this.dataFiles.cover(this.roots);
  }

  /** What changed on disk since the last scan, for changes no watcher may have reported (scanRecheck.ts). */
  changesSinceScan(): FileChange[] {
    return changesSinceScan(this.roots, this.workspace, this.dataFiles, this.scannedAt);
  }

  /**
   * The state may no longer match the disk (an update or an analysis threw part-way): the next
   * analysis forgets what it learnt from events and reads the workspace folders afresh.
   */
  invalidate(): void {
    this.unsure = true;
  }

  private rescan(): void {
    this.unsure = false;
    this.dataFiles = new DataFiles();
    this.taskFileSet = new TaskFileSet(this.importHost);
    this.summaries.clear();
    this.options.forget();
    this.projectRoots.clear();
    this.runtimeFiles.clear();
    this.packageNames.clear();
    this.packageDeps.clear();
    this.previousGraph = undefined;
    this.forgetResolutions();
    this.scan();
    for (const f of this.sources.openFiles()) this.taskFileSet.update(f);
  }

  /** Runs an update; one that throws leaves the state in doubt, so the next analysis starts afresh. */
  private guarded(what: string, update: () => void): void {
    try {
      update();
    } catch (error) {
      this.log(`${what} failed: ${(error as Error).stack ?? error}`);
      this.unsure = true;
    }
  }

  /** The sources the analysis summarises: those that can hold tasks, and every open document. */
  analysedFiles(): string[] {
    const files = this.taskFileSet.taskFiles();
    const known = new Set(files);
    for (const f of this.sources.openFiles()) if (!known.has(f)) files.push(f);
    return files;
  }

  openDocument(uri: string, text: string, version: number): void {
    const file = uriToFile(uri);
    if (!file) return;
    this.openTexts.set(file, text);
    if (!isSourceFile(file)) return;
    this.sources.setOpenDocument(file, text, version);
    this.guarded(`reading the imports of ${file}`, () => this.taskFileSet.update(file));
  }

  closeDocument(uri: string): void {
    const file = uriToFile(uri);
    if (!file) return;
    this.openTexts.delete(file);
    if (!this.sources.isOpen(file)) return;
    this.sources.closeDocument(file);
    const root = this.workspaceRootOf(file);
    this.guarded(`closing ${file}`, () => {
      if (fs.existsSync(file) && !isInNonSourceDir(file, root)) this.taskFileSet.update(file);
      else this.taskFileSet.delete(file);
    });
  }

  /** Text of a file as the editor has it, or from disk. */
  textOf(file: string): string | undefined {
    const open = this.openTexts.get(file);
    if (open !== undefined) return open;
    return this.workspace.readText(file);
  }

  filesChanged(changes: FileChange[]): void {
    for (const change of changes) {
      const root = this.workspaceRootOf(change.file);
      if (isSkippedPath(change.file, root)) continue;
      this.guarded(`the change of ${change.file}`, () => {
        for (const c of this.asFileChanges(change)) this.fileChanged(c, root);
      });
    }
  }

  /**
   * A change of a directory as the changes of its files. VS Code reports a new folder but not the
   * files written into it before its watcher saw the folder (parcel starts watching a folder only
   * then), and a deleted folder alone, without its files.
   */
  private asFileChanges(change: FileChange): FileChange[] {
    const { file } = change;
    if (this.dataFiles.has(file)) return [change]; // a file we know: the usual case
    const directory = isDirectory(file);
    if (directory && change.kind !== 'deleted')
      return scanWorkspace([file], this.workspace).files.map((f) => ({ file: f, kind: 'created' }));
    if (!directory) {
      const under = this.dataFiles.filesUnder(file);
      if (under.length > 0) return under.map((f) => ({ file: f, kind: 'deleted' }));
    }
    return [change];
  }

  private fileChanged(change: FileChange, root: string): void {
    const { file } = change;
    // Watchers cannot always tell a new file from a changed one; the data-file set can.
    // A FIFO, a device or a link out of the workspace is no file of ours: as if it were gone.
    const gone = change.kind === 'deleted' || !this.workspace.isAcceptable(file);
    const kind = gone ? 'deleted' : this.dataFiles.has(file) ? 'changed' : 'created';
    const isSource = isSourceFile(file) && !isInNonSourceDir(file, root);
    if (!this.sources.isOpen(file)) this.sources.diskChanged(file);
    if (kind === 'deleted') {
      this.dataFiles.delete(file);
      if (!this.sources.isOpen(file)) this.taskFileSet.delete(file);
    } else {
      this.dataFiles.add(file);
      if (isSource && !this.sources.isOpen(file)) this.taskFileSet.update(file);
    }
    const isConfig = /(?:^|[\\/])(?:ts|js)config[^\\/]*\.json$/.test(file);
    if (isConfig) this.options.forget();
    if (kind !== 'changed' || isConfig) this.forgetResolutions();
    // Which module a specifier names changes only with modules, manifests and settings, not data.
    if ((kind !== 'changed' && isModuleFile(file)) || isConfig || path.basename(file) === 'package.json') {
      this.taskFileSet.forgetResolutions();
      this.packageDeps.clear();
    }
    if (kind !== 'changed' && path.basename(file) === 'plumb.toml') {
      this.projectRoots.clear();
      this.linkCache = newLinkCache(); // families carry their project root
    }
  }

  /** A source file a scan of the workspace folders would list, whether or not an event told of it. */
  private isWorkspaceSource(file: string): boolean {
    const root = this.roots.find((r) => file.startsWith(r + path.sep));
    if (root === undefined || !isSourceFile(file) || isInNonSourceDir(file, root)) return false;
    return this.workspace.isAcceptable(file);
  }

  /** Files appeared or vanished, or module settings changed: every cached resolution may be wrong. */
  private forgetResolutions(): void {
    this.moduleTargets = new WeakMap();
    this.resolutions = new WeakMap();
    this.linkCache = newLinkCache();
    this.resolutionCache = ts.createModuleResolutionCache(ts.sys.getCurrentDirectory(), (f) => f);
  }

  analyse(): AnalysisResult {
    if (this.unsure) this.rescan();
    // Unique per call: a stamp reused after a failed analysis would vouch for summaries replaced since.
    const stamp = ++this.runs;
    const files: FileSummary[] = [];
    for (const fileName of this.analysedFiles()) {
      const summary = this.summaryOf(fileName);
      if (summary) files.push(summary);
    }
    // Summaries of this program, and (memoised) whether others still are: checked on every cache hit.
    for (const f of files) f.checkedIn = stamp;
    const resolver = new NameResolver(
      {
        summaryOfModule: (specifier, from) => {
          let targets = this.moduleTargets.get(from);
          if (!targets) this.moduleTargets.set(from, (targets = new Map()));
          let target = targets.get(specifier);
          if (target === undefined)
            targets.set(specifier, (target = this.resolveModule(specifier, from.fileName) ?? null));
          return target === null ? undefined : this.summaryOf(target);
        },
        isCurrent: (summary) => {
          if (summary.checkedIn === stamp) return true;
          if (summary.checkedIn === -stamp) return false;
          const known = this.summaryOf(summary.fileName) === summary;
          summary.checkedIn = known ? stamp : -stamp;
          return known;
        },
      },
      this.resolutions,
    );
    const linked = linkWorkspace(
      files,
      {
        resolver,
        isRuntimeFile: (f) => this.isRuntimeFile(f),
        projectRootOf: (f) => this.projectRootOf(f),
        workspaceRootOf: (f) => this.workspaceRootOf(f),
      },
      this.linkCache,
    );
    const configFiles = new Set(this.dataFiles.named('plumb.toml'));
    for (const f of this.openTexts.keys()) if (path.basename(f) === 'plumb.toml') configFiles.add(f);
    const result = new AnalysisResult(
      ++this.version,
      files,
      linked,
      this.dataFiles,
      (f) => this.textOf(f),
      [...configFiles],
      this.infoCache,
      this.previousGraph,
    );
    this.previousGraph = result.graph;
    return result;
  }

  /** The summary of a file's current text (parsed now if it changed), or undefined when it is missing. */
  private summaryOf(fileName: string): FileSummary | undefined {
    const version = this.sources.versionOf(fileName);
    const known = this.summaries.get(fileName);
    if (known?.version === version) return known.summary;
    const parsed = this.sources.parse(fileName);
    if (parsed === undefined) {
      this.summaries.delete(fileName);
      return undefined;
    }
    let summary: FileSummary;
    if ('refused' in parsed)
      summary = emptySummary(fileName, `Plumb did not analyse this file: ${parsed.refused}.`);
    else {
      try {
        summary = summariseFile(parsed.sourceFile);
      } catch (error) {
        this.log(`analysis of ${fileName} failed: ${(error as Error).stack ?? error}`);
        summary = emptySummary(fileName, `Plumb could not analyse this file (${(error as Error).message}).`);
      }
    }
    this.summaries.set(fileName, { version, summary });
    return summary;
  }

  private isRuntimeFile(file: string): boolean {
    let known = this.runtimeFiles.get(file);
    if (known === undefined) {
      known = this.packageNameOf(path.dirname(file)) === 'plumb-pipelines';
      this.runtimeFiles.set(file, known);
    }
    return known;
  }

  /**
   * A dependency's file (under node_modules) stands for its whole package: it can lead to the
   * runtime only when the package depends on plumb-pipelines. Undefined for any other file (its own
   * imports are read instead).
   */
  private isDependencyOfRuntime(file: string): boolean | undefined {
    const parts = file.split(path.sep);
    const at = parts.lastIndexOf('node_modules');
    if (at < 0) return undefined;
    const packageDir = parts.slice(0, at + (parts[at + 1]?.startsWith('@') ? 3 : 2)).join(path.sep);
    let known = this.packageDeps.get(packageDir);
    if (known === undefined) {
      let manifest: Record<string, Record<string, string> | undefined> = {};
      try {
        manifest = JSON.parse(this.workspace.readText(path.join(packageDir, 'package.json')) ?? '{}');
      } catch {
        manifest = {};
      }
      known = ['dependencies', 'peerDependencies', 'optionalDependencies'].some(
        (k) => typeof manifest[k] === 'object' && manifest[k] !== null && 'plumb-pipelines' in manifest[k]!,
      );
      this.packageDeps.set(packageDir, known);
    }
    return known;
  }

  private resolveModule(specifier: string, fromFile: string): string | undefined {
    let resolved: string | undefined;
    try {
      const options = this.options.forFile(fromFile);
      resolved = ts.resolveModuleName(specifier, fromFile, options, this.moduleHost, this.resolutionCache)
        .resolvedModule?.resolvedFileName;
    } catch {
      resolved = undefined;
    }
    return resolved;
  }

  private packageNameOf(dir: string): string | undefined {
    const known = this.packageNames.get(dir);
    if (known !== undefined) return known ?? undefined;
    let name: string | undefined;
    const manifest = path.join(dir, 'package.json');
    const text = ts.sys.fileExists(manifest) ? this.workspace.readText(manifest) : undefined;
    if (text !== undefined) {
      try {
        name = (JSON.parse(text) as { name?: string }).name;
      } catch {
        name = undefined;
      }
    } else if (path.dirname(dir) !== dir) name = this.packageNameOf(path.dirname(dir));
    this.packageNames.set(dir, name ?? null);
    return name;
  }

  workspaceRootOf(file: string): string {
    return this.roots.find((r) => file.startsWith(r + path.sep)) ?? path.dirname(file);
  }

  /** The nearest directory at or above the file holding plumb.toml, else the workspace folder. */
  projectRootOf(file: string): string {
    const start = path.dirname(file);
    const known = this.projectRoots.get(start);
    if (known) return known;
    const root = this.workspaceRootOf(file);
    let found = root;
    for (let dir = start; ; dir = path.dirname(dir)) {
      if (this.dataFiles.has(path.join(dir, 'plumb.toml'))) {
        found = dir;
        break;
      }
      if (dir === root || path.dirname(dir) === dir || !dir.startsWith(root)) break;
    }
    this.projectRoots.set(start, found);
    return found;
  }
}

function isDirectory(file: string): boolean {
  try {
    // lstat: a link to a directory is not walked, as in the scan.
    return fs.lstatSync(file).isDirectory();
  } catch {
    return false;
  }
}

export function uriToFile(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
