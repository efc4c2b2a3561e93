// The analysis of a whole workspace: keeps the program, the data-file set and the per-file summaries
// in step with documents and the disk, and on demand links them into task families, a graph and
// diagnostics. Never executes workspace code.
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
import { isInNonSourceDir, isSkippedPath, isSourceFile, scanWorkspace } from './workspaceScan';
import { WorkspaceFiles } from './workspaceFiles';
import { WorkspaceProgram } from './workspaceProgram';

export type FileChange = { file: string; kind: 'created' | 'changed' | 'deleted' };

export class WorkspaceAnalysis {
  readonly dataFiles = new DataFiles();
  /** Every read of a workspace file goes through it: regular files, under the cap, no links out. */
  private readonly workspace: WorkspaceFiles;
  private readonly moduleHost: ts.ModuleResolutionHost;
  private readonly options: CompilerOptionsByDirectory;
  private readonly program: WorkspaceProgram;
  private readonly summaries = new WeakMap<ts.SourceFile, FileSummary>();
  private readonly outsideProgram = new Map<string, FileSummary>();
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
  private readonly openTexts = new Map<string, string>();
  private version = 0;
  /** Log sink for per-file failures: the analysis keeps going, the shell reports them. */
  log: (message: string) => void = () => undefined;

  constructor(readonly roots: string[]) {
    this.workspace = new WorkspaceFiles(roots);
    this.options = new CompilerOptionsByDirectory(roots, (f) => this.workspace.readText(f));
    this.program = new WorkspaceProgram(this.options.forProgram(), this.workspace);
    this.moduleHost = {
      ...ts.sys,
      readFile: (f) => this.workspace.readText(f),
      realpath: (f) => this.workspace.realpath(f) ?? f,
    };
    this.resolutionCache = ts.createModuleResolutionCache(ts.sys.getCurrentDirectory(), (f) => f);
  }

  /** Reads the workspace folders from disk: program roots and the data-file set. */
  scan(): void {
    const { sources, files } = scanWorkspace(this.roots, this.workspace);
    this.program.setRoots(sources);
    for (const f of files) this.dataFiles.add(f);
  }

  openDocument(uri: string, text: string, version: number): void {
    const file = uriToFile(uri);
    if (!file) return;
    this.openTexts.set(file, text);
    if (isSourceFile(file)) this.program.setOpenDocument(file, text, version);
  }

  closeDocument(uri: string): void {
    const file = uriToFile(uri);
    if (!file) return;
    this.openTexts.delete(file);
    this.program.closeDocument(file);
    if (!fs.existsSync(file)) this.program.removeRoot(file);
  }

  /** Text of a file as the editor has it, or from disk. */
  textOf(file: string): string | undefined {
    const open = this.openTexts.get(file);
    if (open !== undefined) return open;
    return this.workspace.readText(file);
  }

  filesChanged(changes: FileChange[]): void {
    for (const change of changes) {
      const { file } = change;
      const root = this.roots.find((r) => file.startsWith(r + path.sep)) ?? path.dirname(file);
      if (isSkippedPath(file, root)) continue;
      // Watchers cannot always tell a new file from a changed one; the data-file set can.
      // A FIFO, a device or a link out of the workspace is no file of ours: as if it were gone.
      const gone = change.kind === 'deleted' || !this.workspace.isAcceptable(file);
      const kind = gone ? 'deleted' : this.dataFiles.has(file) ? 'changed' : 'created';
      if (kind === 'deleted') {
        this.dataFiles.delete(file);
        this.program.removeRoot(file);
        this.outsideProgram.delete(file);
      } else {
        this.dataFiles.add(file);
        if (isSourceFile(file) && !isInNonSourceDir(file, root)) {
          this.program.addRoot(file);
          if (!this.program.isOpen(file)) this.program.diskChanged(file);
        }
        this.outsideProgram.delete(file);
      }
      const isConfig = /(?:^|[\\/])(?:ts|js)config[^\\/]*\.json$/.test(file);
      if (isConfig) this.options.forget();
      if (kind !== 'changed' || isConfig) this.forgetResolutions();
      if (kind !== 'changed' && path.basename(file) === 'plumb.toml') {
        this.projectRoots.clear();
        this.linkCache = newLinkCache(); // families carry their project root
      }
    }
  }

  /** Files appeared or vanished, or module settings changed: every cached resolution may be wrong. */
  private forgetResolutions(): void {
    this.moduleTargets = new WeakMap();
    this.resolutions = new WeakMap();
    this.linkCache = newLinkCache();
    this.resolutionCache = ts.createModuleResolutionCache(ts.sys.getCurrentDirectory(), (f) => f);
  }

  analyse(): AnalysisResult {
    const program = this.program.program();
    const files: FileSummary[] = [];
    for (const fileName of this.program.rootFiles()) {
      const summary = this.summaryOf(program, fileName);
      if (summary) files.push(summary);
    }
    // Summaries of this program, and (memoised) whether others still are: checked on every cache hit.
    const stamp = this.version + 1;
    for (const f of files) f.checkedIn = stamp;
    const resolver = new NameResolver(
      {
        summaryOfModule: (specifier, from) => {
          let targets = this.moduleTargets.get(from);
          if (!targets) this.moduleTargets.set(from, (targets = new Map()));
          let target = targets.get(specifier);
          if (target === undefined)
            targets.set(specifier, (target = this.resolveModule(specifier, from.fileName) ?? null));
          return target === null ? undefined : this.summaryOf(program, target);
        },
        isCurrent: (summary) => {
          if (summary.checkedIn === stamp) return true;
          if (summary.checkedIn === -stamp) return false;
          const known = this.summaryOf(program, summary.fileName) === summary;
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

  private summaryOf(program: ts.Program, fileName: string): FileSummary | undefined {
    const sourceFile = program.getSourceFile(fileName);
    const refusal = this.program.refusal(fileName);
    if (refusal) return emptySummary(fileName, `Plumb did not analyse this file: ${refusal}.`);
    if (!sourceFile) return this.summaryOutsideProgram(fileName);
    const known = this.summaries.get(sourceFile);
    if (known) return known;
    let summary: FileSummary;
    try {
      summary = summariseFile(sourceFile);
    } catch (error) {
      this.log(`analysis of ${fileName} failed: ${(error as Error).stack ?? error}`);
      summary = emptySummary(fileName, `Plumb could not analyse this file (${(error as Error).message}).`);
    }
    this.summaries.set(sourceFile, summary);
    return summary;
  }

  /** Modules the program did not load (e.g. a .js target with allowJs off): parsed once, here. */
  private summaryOutsideProgram(fileName: string): FileSummary | undefined {
    const known = this.outsideProgram.get(fileName);
    if (known) return known;
    const text = this.textOf(fileName);
    if (text === undefined) return undefined;
    let summary: FileSummary;
    try {
      summary = summariseFile(ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true));
    } catch {
      summary = emptySummary(fileName);
    }
    this.outsideProgram.set(fileName, summary);
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

export function uriToFile(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
