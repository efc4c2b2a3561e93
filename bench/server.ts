// Language-server benchmark on a generated workspace (2,000 task classes in 400 files with cross-file
// requires): cold analysis against the TypeScript program alone, one-line-edit re-analysis against a
// bare TypeScript LanguageService re-checking the same edits, the server end to end over stdio, and
// peak memory. Each phase runs in its own process, the cold ones alternating over rounds so neither
// warms the other; the summary is a Markdown table for BENCHMARKS.md.
// Usage: npm run build && node --import tsx bench/server.ts [--files 400] [--rounds 5] [--edits 200]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateWorkspace } from './server/generateWorkspace';
import { lspPhase, serverBundle } from './server/lspPhase';
import { analysisPhase, programPhase, servicePhase, type PhaseResult } from './server/phases';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, 'out', 'server-workspace');
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

type Phase = 'program' | 'analysis' | 'service' | 'lsp';

async function runPhaseHere(phase: Phase, edits: number): Promise<PhaseResult> {
  if (phase === 'program') return programPhase(root);
  if (phase === 'analysis') return analysisPhase(root, edits);
  if (phase === 'service') return servicePhase(root, edits);
  return lspPhase(root, edits);
}

function runPhase(phase: Phase, edits: number): PhaseResult {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--phase', phase, '--edits', String(edits)],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as PhaseResult;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number | null | undefined) =>
  x === undefined || x === null || Number.isNaN(x) ? '–' : `${x.toFixed(x < 10 ? 1 : 0)}`;

async function main(): Promise<void> {
  const phaseAt = process.argv.indexOf('--phase');
  if (phaseAt >= 0) {
    const result = await runPhaseHere(process.argv[phaseAt + 1] as Phase, arg('edits', 0));
    console.log(JSON.stringify(result));
    return;
  }
  if (!fs.existsSync(serverBundle)) throw new Error(`${serverBundle} is missing: run npm run build first`);
  const files = arg('files', 400);
  const rounds = arg('rounds', 5);
  const edits = arg('edits', 200);
  const generated = generateWorkspace(root, files, 5);
  console.log(
    `workspace: ${generated.taskCount} task classes in ${files} files (${path.relative(process.cwd(), root)})`,
  );
  const runs: Record<Phase, PhaseResult[]> = { program: [], analysis: [], service: [], lsp: [] };
  for (let r = 0; r < rounds; r++) {
    // The first round also times the edits; later rounds repeat the cold measurements only.
    const e = r === 0 ? edits : 0;
    for (const phase of ['program', 'analysis', 'service', 'lsp'] as const) {
      runs[phase].push(runPhase(phase, e));
      process.stderr.write(`round ${r + 1}/${rounds}: ${phase} cold ${ms(runs[phase].at(-1)!.coldMs)} ms\n`);
    }
  }
  const cold = (p: Phase) => median(runs[p].map((x) => x.coldMs));
  // Memory: the round that also made the edits holds the peak.
  const peak = (xs: (number | null)[]) => {
    const known = xs.filter((x): x is number => typeof x === 'number' && !Number.isNaN(x));
    return known.length ? Math.max(...known) : NaN;
  };
  const rss = (p: Phase) => peak(runs[p].map((x) => x.maxRssMb));
  const heap = (p: Phase) => peak(runs[p].map((x) => x.heapMb));
  const a = runs.analysis[0]!;
  const s = runs.service[0]!;
  const l = runs.lsp[0]!;
  const edit = (p: PhaseResult['edits']) => (p ? `${ms(p.p50)} / ${ms(p.p95)} / ${ms(p.max)}` : '–');
  console.log(
    `\n${a.tasks} task families, ${a.edges} requirement edges, ${a.diagnostics} diagnostics; ` +
      `${runs.program[0]!.sourceFiles} source files in the program; medians of ${rounds} cold runs; ` +
      `edits: ${a.edits?.n ?? 0} one-line edits (in turn a default, an output path, a dropped requirement), same sequence in every phase\n`,
  );
  console.log(
    '| phase | cold ms | ratio to program | edit p50 / p95 / max ms (wall) | same, CPU ms | peak RSS MB | heap at end MB |',
  );
  console.log('|---|---|---|---|---|---|---|');
  const row = (name: string, p: Phase, r?: PhaseResult) =>
    console.log(
      `| ${name} | ${ms(cold(p))} | ${(cold(p) / cold('program')).toFixed(2)}× | ${edit(r?.edits)} | ${edit(r?.editsCpu)} | ${ms(rss(p))} | ${ms(heap(p))} |`,
    );
  row('TypeScript program alone (createProgram)', 'program');
  row('Plumb analysis core (scan, program, tasks, graph, diagnostics)', 'analysis', a);
  row('Plumb server over stdio (to `plumb/graphChanged`, debounce 0)', 'lsp', l);
  row('bare LanguageService: program + semantic check of the edited file', 'service', s);
  console.log(
    `\nbare LanguageService program update alone per edit: p50 / p95 / max ${edit(s.programEdits)} ms`,
  );
  console.log(
    `server over stdio, edit → reply to the plumb/graph request that follows: p50 / p95 / max ${edit(l.editsWithGraph)} ms`,
  );
  console.log(
    `goals: cold analysis / program ${(cold('analysis') / cold('program')).toFixed(2)}× (≤ 2×); ` +
      `edit p95 ${ms(a.edits?.p95)} ms core, ${ms(l.edits?.p95)} ms over LSP (≤ 50 ms); ` +
      `edit p95 vs the LanguageService re-check ${((a.edits?.p95 ?? NaN) / (s.edits?.p95 ?? NaN)).toFixed(2)}×`,
  );
  for (const p of ['program', 'analysis', 'service', 'lsp'] as const)
    console.log(`rounds ${p}: ${runs[p].map((x) => ms(x.coldMs)).join(' / ')} ms`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
