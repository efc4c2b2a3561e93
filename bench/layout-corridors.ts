// Graphs past the waypoint cap (1,000–2,000 nodes, issue 15): our layered layout at an older commit
// (`--before DIR`, a copy of client/webview/src/layout) and this tree's, beside elkjs, in one run:
// CPU and picture quality (forced crossings, edges through nodes, bends, merged steps, merged runs along
// the flow, size), measured as bench/layout-quality.ts measures them. Elk runs as that bench's child process, with a time limit.
// Usage: node --import tsx bench/layout-corridors.ts --before DIR [--sizes 1000,2000] [--reps 3]
//        [--limit 90] [--shapes pipeline,layered] [--no-elk] [--label NAME]
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { layeredLayout } from '../client/webview/src/layout/layered';
import type { LayoutInput, LayoutResult } from '../client/webview/src/layout/layoutGraph';
import { stepOverlaps } from '../test/client/webview/layout/stepOverlaps';
import { orderCrossings, pipelineInput, throughNodes } from './layout-quality';
import { shapeInput } from './webview-layout';
import { arg } from './support/arg';

const here = path.dirname(fileURLToPath(import.meta.url));
type Layout = typeof layeredLayout;

interface Measure {
  cpuMs: number;
  forced: number;
  through: number;
  bends: number;
  overlaps: number;
  /** sharedRuns: pairs of runs along the flow of different sources on one line. */
  shared: number;
  size: string;
}

/**
 * Pairs of runs along the flow (flow to the right) of different sources that lie on one line and
 * overlap: merged on screen. Runs of one source may share (they leave it as one), and an edge's last
 * run belongs to its target (edges into one node meet at its side).
 */
function sharedRuns(layout: LayoutResult, input: LayoutInput): number {
  const runs: { owner: string; y: number; low: number; high: number }[] = [];
  for (const e of input.edges) {
    const points = layout.edges[e.id] ?? [];
    for (let i = 1; i < points.length; i++) {
      const [a, b] = [points[i - 1]!, points[i]!];
      if (Math.abs(a.y - b.y) >= 0.5 || Math.abs(a.x - b.x) < 0.5) continue;
      const owner = i === points.length - 1 ? `t:${e.target}` : `s:${e.source}`;
      runs.push({ owner, y: a.y, low: Math.min(a.x, b.x), high: Math.max(a.x, b.x) });
    }
  }
  runs.sort((s, t) => s.y - t.y || s.low - t.low);
  let count = 0;
  for (let i = 0; i < runs.length; i++)
    for (let j = i + 1; j < runs.length; j++) {
      const [s, t] = [runs[i]!, runs[j]!];
      if (t.y - s.y >= 0.5) break;
      if (t.low < s.high && s.low < t.high && t.owner !== s.owner) count++;
    }
  return count;
}

function quality(layout: LayoutResult, input: LayoutInput): Omit<Measure, 'cpuMs'> {
  return {
    forced: orderCrossings(layout),
    through: throughNodes(layout, input),
    bends: Object.values(layout.edges).reduce((sum, points) => sum + Math.max(0, points.length - 2), 0),
    overlaps: stepOverlaps(input, layout).length,
    shared: sharedRuns(layout, input),
    size: `${Math.round(layout.width)}×${Math.round(layout.height)}`,
  };
}

/** CPU of one layout as the views ask for it (4 sweeps), the quality of the last. */
function own(layout: Layout, input: LayoutInput): Measure {
  const cpu = process.cpuUsage();
  const result = layout(input, { sweeps: 4 });
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000, ...quality(result, input) };
}

function elk(shape: string, n: number, limitS: number): Measure | undefined {
  try {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', path.join(here, 'layout-quality.ts'), '--elk', shape, String(n)],
      { encoding: 'utf8', timeout: limitS * 1000 },
    );
    return JSON.parse(out.trim().split('\n').pop()!) as Measure;
  } catch {
    return undefined;
  }
}

const row = (shape: string, n: number, name: string, runs: Measure[], load: string) => {
  if (runs.length === 0) return `| ${shape} | ${n} | ${name} | not done | – | – | – | – | – | – | ${load} |`;
  const cpu = [...runs.map((r) => r.cpuMs)].sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
  const r = runs[0]!;
  return `| ${shape} | ${n} | ${name} | ${cpu.toFixed(0)} | ${r.forced} | ${r.through} | ${r.bends} | ${r.overlaps} | ${r.shared ?? '–'} | ${r.size} | ${load} |`;
};

async function main(): Promise<void> {
  const beforeDir = path.resolve(arg('before', ''));
  const before = (await import(pathToFileURL(path.join(beforeDir, 'layered.ts')).href)) as {
    layeredLayout: Layout;
  };
  const sizes = arg('sizes', '1000,2000').split(',').map(Number);
  const shapes = arg('shapes', 'pipeline,layered').split(',');
  const reps = Number(arg('reps', '3'));
  const limitS = Number(arg('limit', '90'));
  console.log(
    '| shape | nodes | layout | cpu ms | forced × | through | bends | overlaps | shared runs | size | load |',
  );
  console.log(`|${' --- |'.repeat(11)}`);
  for (const shape of shapes)
    for (const n of sizes) {
      const input = shape === 'pipeline' ? pipelineInput(n) : shapeInput('layered', n);
      const elkRun = process.argv.includes('--no-elk') ? undefined : elk(shape, n, limitS);
      // Alternating, so both see the same load; each warmed by a first run not counted.
      own(before.layeredLayout, input);
      own(layeredLayout, input);
      const old: Measure[] = [];
      const now: Measure[] = [];
      for (let rep = 0; rep < reps; rep++) {
        old.push(own(before.layeredLayout, input));
        now.push(own(layeredLayout, input));
      }
      const load = os.loadavg()[0]!.toFixed(1);
      if (!process.argv.includes('--no-elk'))
        console.log(row(shape, n, `elk (limit ${limitS} s)`, elkRun ? [elkRun] : [], load));
      console.log(row(shape, n, `before (${arg('label', path.basename(beforeDir))})`, old, load));
      console.log(row(shape, n, 'now', now, load));
    }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void main();
