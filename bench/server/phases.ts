// The measured phases of the language-server benchmark, each run in a fresh process by bench/server.ts:
// the TypeScript program alone, Plumb's analysis core, and a bare TypeScript LanguageService (the
// editor's own incremental re-check of the same edits: the baseline users feel).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { WorkspaceAnalysis } from '../../server/src/analysis/workspaceAnalysis';
import { editSequence, percentiles } from './edits';

export type Percentiles = ReturnType<typeof percentiles>;

export interface PhaseResult {
  /** Cold: from nothing to a finished answer. */
  coldMs: number;
  maxRssMb: number;
  heapMb: number;
  edits?: Percentiles;
  /** The same edits in CPU time of this process (all its threads, GC included): steadier than wall
   * time when other work shares the machine. */
  editsCpu?: Percentiles;
  /** Only over LSP: from the edit to the reply of the `plumb/graph` request that follows it. */
  editsWithGraph?: Percentiles;
  /** Only for the service baseline: the program update alone, without the semantic check. */
  programEdits?: Percentiles;
  sourceFiles?: number;
  tasks?: number;
  edges?: number;
  diagnostics?: number;
}

const memory = () => ({
  maxRssMb: process.resourceUsage().maxRSS / 1024,
  heapMb: process.memoryUsage().heapUsed / 1024 / 1024,
});

function cpuMs(since: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
}

function parsedConfig(root: string): ts.ParsedCommandLine {
  const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined };
  return ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), {}, host)!;
}

/** What `tsc --noEmit` does before type checking: read the config, resolve and parse every file. */
export function programPhase(root: string): PhaseResult {
  const started = performance.now();
  const config = parsedConfig(root);
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
  const sourceFiles = program.getSourceFiles().length;
  return { coldMs: performance.now() - started, sourceFiles, ...memory() };
}

/** Plumb's analysis: scan, program, task families, graph, every diagnostic; then one-line edits. */
export function analysisPhase(root: string, editCount: number): PhaseResult {
  const started = performance.now();
  const analysis = new WorkspaceAnalysis([root]);
  analysis.scan();
  let result = analysis.analyse();
  let diagnostics = [...result.diagnosticsByUri().values()].reduce((n, l) => n + l.length, 0);
  const coldMs = performance.now() - started;
  const times: number[] = [];
  const cpu: number[] = [];
  editSequence(root, editCount).forEach((edit, i) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    analysis.openDocument(pathToFileURL(edit.file).href, edit.text, i + 1);
    result = analysis.analyse();
    diagnostics = [...result.diagnosticsByUri().values()].reduce((n, l) => n + l.length, 0);
    result.pipelineGraph(); // what plumb/graph answers after the graphChanged notification
    times.push(performance.now() - t0);
    cpu.push(cpuMs(c0));
  });
  return {
    coldMs,
    edits: times.length ? percentiles(times) : undefined,
    editsCpu: cpu.length ? percentiles(cpu) : undefined,
    tasks: result.families.length,
    edges: result.linked.edges.length,
    diagnostics,
    ...memory(),
  };
}

/**
 * A bare LanguageService over the same tsconfig with a versioned host, as tsserver keeps it: cold =
 * program + semantic diagnostics of one file; per edit = the updated program, then the semantic
 * diagnostics of the edited file (what the editor re-checks on each keystroke).
 */
export function servicePhase(root: string, editCount: number): PhaseResult {
  const started = performance.now();
  const config = parsedConfig(root);
  const texts = new Map<string, { text: string; version: number }>();
  const host: ts.LanguageServiceHost = {
    getScriptFileNames: () => config.fileNames,
    getScriptVersion: (f) => String(texts.get(f)?.version ?? 0),
    getScriptSnapshot: (f) => {
      const text = texts.get(f)?.text ?? ts.sys.readFile(f);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => root,
    getCompilationSettings: () => config.options,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
    realpath: ts.sys.realpath,
  };
  const service = ts.createLanguageService(host, ts.createDocumentRegistry());
  const program = service.getProgram()!;
  service.getSemanticDiagnostics(config.fileNames[0]!);
  const coldMs = performance.now() - started;
  const checks: number[] = [];
  const cpu: number[] = [];
  const updates: number[] = [];
  editSequence(root, editCount).forEach((edit, i) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    texts.set(edit.file, { text: edit.text, version: i + 1 });
    service.getProgram();
    updates.push(performance.now() - t0);
    service.getSemanticDiagnostics(edit.file);
    checks.push(performance.now() - t0);
    cpu.push(cpuMs(c0));
  });
  return {
    coldMs,
    sourceFiles: program.getSourceFiles().length,
    edits: checks.length ? percentiles(checks) : undefined,
    editsCpu: cpu.length ? percentiles(cpu) : undefined,
    programEdits: updates.length ? percentiles(updates) : undefined,
    ...memory(),
  };
}
