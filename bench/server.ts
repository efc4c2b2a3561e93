// Language-server benchmark: cold analysis of a generated 2,000-task workspace against building the
// TypeScript program alone (the same files, as tsc would), re-analysis after one-line edits
// (p50/p95), and peak memory. Each measurement runs in its own process, alternating, so neither
// warms the other. Usage: node --import tsx bench/server.ts [--files 400] [--rounds 3] [--edits 200]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { WorkspaceAnalysis } from '../server/src/analysis/workspaceAnalysis';
import { generateWorkspace } from './server/generateWorkspace';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, 'out', 'server-workspace');
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

interface PhaseResult {
  ms: number;
  maxRssMb: number;
  edits?: { p50: number; p95: number; max: number };
  tasks?: number;
  edges?: number;
  sourceFiles?: number;
}

function phaseProgram(): PhaseResult {
  const started = performance.now();
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(root, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: () => undefined,
    },
  )!;
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
  const sourceFiles = program.getSourceFiles().length;
  return { ms: performance.now() - started, maxRssMb: process.resourceUsage().maxRSS / 1024, sourceFiles };
}

function phaseAnalysis(editCount: number): PhaseResult {
  const started = performance.now();
  const analysis = new WorkspaceAnalysis([root]);
  analysis.scan();
  let result = analysis.analyse();
  result.diagnosticsByUri();
  const ms = performance.now() - started;
  const tasks = result.families.length;
  const edges = result.linked.edges.length;
  // One-line edits: change a default value in a random file, as someone typing would.
  const files = fs.readdirSync(path.join(root, 'pipelines')).map((f) => path.join(root, 'pipelines', f));
  const texts = new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));
  const times: number[] = [];
  let seed = 1;
  for (let i = 0; i < editCount; i++) {
    seed = (seed * 48271) % 2147483647;
    const file = files[seed % files.length]!;
    const text = texts
      .get(file)!
      .replace(
        /limit: param\.int\(\{ default: (\d+) \}\)/,
        (_m, n) => `limit: param.int({ default: ${Number(n) + i + 1} })`,
      );
    texts.set(file, text);
    const t0 = performance.now();
    analysis.openDocument(pathToFileURL(file).href, text, i + 1);
    result = analysis.analyse();
    result.diagnosticsByUri();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? 0;
  return {
    ms,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    edits: { p50: pct(50), p95: pct(95), max: times[times.length - 1] ?? 0 },
    tasks,
    edges,
  };
}

function runPhase(phase: string, edits: number): PhaseResult {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--phase', phase, '--edits', String(edits)],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as PhaseResult;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const phase = process.argv[process.argv.indexOf('--phase') + 1];
if (process.argv.includes('--phase')) {
  const result = phase === 'program' ? phaseProgram() : phaseAnalysis(arg('edits', 200));
  console.log(JSON.stringify(result));
} else {
  const files = arg('files', 400);
  const rounds = arg('rounds', 3);
  const edits = arg('edits', 200);
  const generated = generateWorkspace(root, files, 5);
  console.log(
    `generated ${generated.taskCount} task classes in ${files} files under ${path.relative(process.cwd(), root)}`,
  );
  const program: PhaseResult[] = [];
  const analysis: PhaseResult[] = [];
  for (let r = 0; r < rounds; r++) {
    program.push(runPhase('program', 0));
    analysis.push(runPhase('analysis', r === 0 ? edits : 0));
  }
  const programMs = median(program.map((p) => p.ms));
  const analysisMs = median(analysis.map((p) => p.ms));
  const e = analysis[0]!.edits!;
  console.log(
    `TypeScript program alone (tsc's view, ${program[0]!.sourceFiles} source files): median ${programMs.toFixed(0)} ms, peak RSS ${median(program.map((p) => p.maxRssMb)).toFixed(0)} MB`,
  );
  console.log(
    `cold analysis (scan + program + tasks + graph + diagnostics): median ${analysisMs.toFixed(0)} ms, peak RSS ${median(analysis.map((p) => p.maxRssMb)).toFixed(0)} MB`,
  );
  console.log(`found ${analysis[0]!.tasks} task families, ${analysis[0]!.edges} edges`);
  console.log(`ratio cold analysis / program alone: ${(analysisMs / programMs).toFixed(2)}× (goal ≤ 2×)`);
  console.log(
    `one-line edit re-analysis over ${edits} edits: p50 ${e.p50.toFixed(1)} ms, p95 ${e.p95.toFixed(1)} ms, max ${e.max.toFixed(1)} ms (goal p95 ≤ 50 ms)`,
  );
  console.log(
    `rounds: program ${program.map((p) => p.ms.toFixed(0)).join('/')} ms; analysis ${analysis.map((p) => p.ms.toFixed(0)).join('/')} ms`,
  );
}
