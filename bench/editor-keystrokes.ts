// Keystroke latency in the real workbench with a 600-task pipeline, its graph open vs closed (issue 15,
// goal: open ≤ 1.2× closed). Plumb's .vsix in code-server, driven by headless Chromium as in the e2e
// suite: a comment typed into a task's run() at a person's pace, each key timed in the workbench page
// from the key event's timestamp to the first task after the next animation frame (the character
// drawn, the thread free for the next key). Rounds alternate (closed, open, open, closed, …) so both
// modes see the same load; the CPU each process group used while typing is read from /proc.
// Usage: node --import tsx bench/editor-keystrokes.ts [--rounds 6] [--keys 30] [--pace 120]
import { copyFileSync, mkdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../scripts/e2e/chromium.mjs';
import { type CodeServer, startCodeServer } from '../scripts/e2e/code-server.mjs';
import { outputDir, vsixPath } from '../test/e2e/harness/paths';
import { processTree } from '../test/e2e/harness/processes';
import { Workbench } from '../test/e2e/harness/workbench';
import { LAYERS, writeDeepPipeline } from '../test/runtime/deepPipeline';
import { addSelfTime, type CpuProfile, largest } from './support/cpu-profile-summary';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const rounds = Number(arg('rounds') ?? 6);
const keys = Number(arg('keys') ?? 30);
const paceMs = Number(arg('pace') ?? 120);
const typed = '// recheck against the staging copy before the release'.slice(0, keys);

type Mode = 'closed' | 'open';
const log = (message: string) => console.error(`bench ${new Date().toISOString().slice(11, 19)}: ${message}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * In the workbench page: each printable key's time from its event to the first task after the next
 * frame; and the page's long tasks (over 50 ms) by where they ran: the workbench itself ('self') or a
 * frame inside it sharing its thread (a webview: '…-descendant').
 */
function installKeyTimer(page: Page): Promise<void> {
  return page.evaluate(() => {
    const g = globalThis as unknown as PageTimes & {
      addEventListener(
        type: string,
        listener: (e: { key: string; timeStamp: number }) => void,
        capture: boolean,
      ): void;
      performance: { now(): number };
      requestAnimationFrame(callback: () => void): void;
      setTimeout(callback: () => void, ms: number): void;
      PerformanceObserver: new (
        callback: (list: { getEntries(): { name: string; duration: number; startTime: number }[] }) => void,
      ) => { observe(options: { type: string }): void };
    };
    g.keyLatencies = [];
    g.longTasks = [];
    g.addEventListener(
      'keydown',
      (e) => {
        if (e.key.length !== 1) return;
        const at = e.timeStamp;
        g.requestAnimationFrame(() => g.setTimeout(() => g.keyLatencies.push(g.performance.now() - at), 0));
      },
      true,
    );
    new g.PerformanceObserver((list) => {
      for (const e of list.getEntries())
        g.longTasks.push({ name: e.name, duration: e.duration, end: e.startTime + e.duration });
    }).observe({ type: 'longtask' });
  });
}

interface PageTimes {
  keyLatencies: number[];
  longTasks: { name: string; duration: number; end: number }[];
}

/** CPU seconds used so far by each kind of process under this one (code-server's and Chromium's). */
function cpuByKind(): Map<string, number> {
  const tick = 100; // USER_HZ on Linux
  const totals = new Map<string, number>();
  for (const pid of processTree(process.pid)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const seconds = (Number(fields[11]) + Number(fields[12])) / tick;
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const kind = command.includes('server/server.js')
        ? 'plumb server'
        : command.includes('tsserver')
          ? 'tsserver'
          : command.includes('extensionHost')
            ? 'extension host'
            : command.includes('--type=renderer')
              ? 'chromium renderers'
              : command.includes('chromium')
                ? 'chromium other'
                : pid === process.pid
                  ? 'bench'
                  : 'code-server other';
      totals.set(kind, (totals.get(kind) ?? 0) + seconds);
    } catch {
      // ended while read
    }
  }
  return totals;
}

/** Where a sampled function's code came from: Plumb's webview, VS Code's webview host, the workbench. */
function whereFrom(frame: { functionName: string; url: string }): string {
  const { url } = frame;
  if (!url) return frame.functionName || '(native)';
  // VS Code's webview host page names the extension in its query: look at it first.
  if (url.includes('webview/browser/pre')) return "VS Code's webview host";
  if (url.includes('plumb'))
    return url.includes('/webview/') ? 'Plumb webview' : `Plumb: ${path.basename(url)}`;
  if (url.includes('workbench')) return 'VS Code workbench';
  return path.basename(url.split('?')[0]!);
}

/** Waits until the page's thread has had no long task for 3 s (a graph just opened is laid out). */
async function settle(page: Page): Promise<void> {
  const deadline = Date.now() + 90_000;
  await sleep(3000);
  while (Date.now() < deadline) {
    const quietFor = await page.evaluate(() => {
      const g = globalThis as unknown as PageTimes & { performance: { now(): number } };
      const last = g.longTasks.reduce((end, t) => Math.max(end, t.end), 0);
      return g.performance.now() - last;
    });
    if (quietFor >= 3000) return;
    await sleep(500);
  }
  log('the page did not settle within 90 s');
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

async function main(): Promise<void> {
  const runDir = path.join(outputDir, '..', 'bench', `editor-keystrokes-${process.pid}`);
  rmSync(runDir, { recursive: true, force: true });
  const workspace = path.join(runDir, 'pipeline');
  mkdirSync(workspace, { recursive: true });
  // 600 tasks in 60 layers, requires() returning tuples (so TypeScript itself reports nothing).
  const files = writeDeepPipeline(workspace, 'tuple');
  unlinkSync(files.pop()!); // wrong.ts: its deliberate errors are not what is measured
  const middle = Math.floor(LAYERS / 2);
  const file = `layer${middle}.ts`;
  const lines = readFileSync(path.join(workspace, file), 'utf8').split('\n');
  const taskLine = lines.findIndex((l) => l.includes(`class L${middle}T4 `));
  // 1-based: the run() of the fifth task, so the ranges of five tasks below move as lines are typed.
  const runLine = lines.findIndex((l, i) => i > taskLine && l.includes('async run()')) + 1;
  // The .vsix may be rebuilt while this runs: install a copy.
  const vsix = path.join(runDir, path.basename(vsixPath));
  copyFileSync(vsixPath, vsix);

  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await startCodeServer({
      vsix,
      dir: path.join(runDir, 'code-server'),
      log,
      settings: { 'files.autoSave': 'off' },
    });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.setDefaultTimeout(120_000);
    const workbench = new Workbench(page, server.folderUrl);
    await workbench.openFolder(workspace);
    await workbench.openFile(file);
    await workbench.lensTextsMatching([/Run/], 180_000);
    await installKeyTimer(page);
    log(`typing into ${file} line ${runLine + 1}; ${rounds} rounds of ${keys} keys every ${paceMs} ms`);

    const graphTab = page.locator('.tabs-container .tab', { hasText: 'Plumb Graph' });
    const setMode = async (mode: Mode) => {
      if (mode === 'open' && (await graphTab.count()) === 0) {
        await workbench.runCommand('Plumb: Show Pipeline Graph');
        const graph = await workbench.webview('.dag-node', 180_000);
        await graph.locator('.dag-node').first().waitFor();
      }
      if (mode === 'closed' && (await graphTab.count()) > 0) {
        await graphTab.first().hover();
        await graphTab.first().locator('.tab-actions .action-label').first().click({ force: true });
        await graphTab.first().waitFor({ state: 'detached' });
      }
    };

    const latencies: Record<Mode, number[]> = { closed: [], open: [] };
    const cpu: Record<Mode, Map<string, number>> = { closed: new Map(), open: new Map() };
    const longTasks: Record<Mode, Map<string, number>> = { closed: new Map(), open: new Map() };
    // The page's main thread sampled while typing (webviews on the same thread included).
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    const byOrigin: Record<Mode, Map<string, number>> = { closed: new Map(), open: new Map() };
    const byFunction: Record<Mode, Map<string, number>> = { closed: new Map(), open: new Map() };
    const loads: number[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const mode of (round % 2 === 0 ? ['closed', 'open'] : ['open', 'closed']) as Mode[]) {
        await setMode(mode);
        await settle(page);
        await workbench.goToLine(runLine);
        await page.keyboard.press('End');
        await page.keyboard.press('Enter');
        await sleep(1500);
        await page.evaluate(() => {
          const g = globalThis as unknown as PageTimes;
          g.keyLatencies = [];
          g.longTasks = [];
        });
        await cdp.send('Profiler.start');
        const before = cpuByKind();
        const start = Date.now();
        for (let i = 0; i < typed.length; i++) {
          await sleep(Math.max(0, start + i * paceMs - Date.now()));
          await page.keyboard.type(typed[i]!);
        }
        await page.waitForFunction(
          (n) => (globalThis as unknown as PageTimes).keyLatencies.length >= n,
          typed.length,
        );
        await sleep(2000); // the graph's answer to the last keys lands inside this mode's window
        const after = cpuByKind();
        for (const [kind, seconds] of after)
          cpu[mode].set(kind, (cpu[mode].get(kind) ?? 0) + seconds - (before.get(kind) ?? 0));
        const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
        addSelfTime(profile, whereFrom, byOrigin[mode]);
        addSelfTime(
          profile,
          (f) => `${f.functionName || '(anonymous)'} ${whereFrom(f)}:${f.lineNumber + 1}`,
          byFunction[mode],
        );
        const seen = await page.evaluate(() => {
          const g = globalThis as unknown as PageTimes;
          return { keyLatencies: g.keyLatencies, longTasks: g.longTasks };
        });
        const times = seen.keyLatencies;
        latencies[mode].push(...times);
        for (const t of seen.longTasks)
          longTasks[mode].set(t.name, (longTasks[mode].get(t.name) ?? 0) + t.duration);
        loads.push(os.loadavg()[0]!);
        log(
          `round ${round + 1} ${mode}: p50 ${percentile(times, 50).toFixed(0)} ms, p90 ${percentile(times, 90).toFixed(0)} ms`,
        );
        await page.keyboard.press('Control+Shift+K'); // the typed line goes again
        await sleep(1500);
      }
    }

    const fmt = (v: number) => `${v.toFixed(0)} ms`;
    const p = (mode: Mode, q: number) => percentile(latencies[mode], q);
    console.log(`| graph | keys | p50 | p90 | p99 |`);
    console.log('|---|---|---|---|---|');
    for (const mode of ['closed', 'open'] as Mode[])
      console.log(
        `| ${mode} | ${latencies[mode].length} | ${fmt(p(mode, 50))} | ${fmt(p(mode, 90))} | ${fmt(p(mode, 99))} |`,
      );
    console.log(
      `\nopen / closed: p50 ${(p('open', 50) / p('closed', 50)).toFixed(2)}×, p90 ${(p('open', 90) / p('closed', 90)).toFixed(2)}× (goal ≤ 1.2×); load ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`,
    );
    console.log(`\nCPU seconds while typing, all rounds (${typed.length} keys + 2 s a round):`);
    console.log(`| process | closed | open |`);
    console.log('|---|---|---|');
    for (const kind of new Set([...cpu.closed.keys(), ...cpu.open.keys()]))
      console.log(
        `| ${kind} | ${(cpu.closed.get(kind) ?? 0).toFixed(1)} | ${(cpu.open.get(kind) ?? 0).toFixed(1)} |`,
      );
    console.log(`\nLong tasks (over 50 ms) on the workbench page's thread while typing, ms in all:`);
    console.log(`| where | closed | open |`);
    console.log('|---|---|---|');
    for (const name of new Set([...longTasks.closed.keys(), ...longTasks.open.keys()]))
      console.log(
        `| ${name} | ${(longTasks.closed.get(name) ?? 0).toFixed(0)} | ${(longTasks.open.get(name) ?? 0).toFixed(0)} |`,
      );
    console.log(`\nThe page's main thread while typing (CPU profile, self time in ms, all rounds):`);
    console.log(`| code | closed | open |`);
    console.log('|---|---|---|');
    for (const [key] of largest(new Map([...byOrigin.closed, ...byOrigin.open]), 12))
      console.log(
        `| ${key} | ${(byOrigin.closed.get(key) ?? 0).toFixed(0)} | ${(byOrigin.open.get(key) ?? 0).toFixed(0)} |`,
      );
    console.log(`\nFunctions with the most self time, graph open:`);
    for (const [key, ms] of largest(byFunction.open, 15))
      console.log(
        `- ${key}: ${ms.toFixed(0)} ms (closed: ${(byFunction.closed.get(key) ?? 0).toFixed(0)} ms)`,
      );
  } finally {
    await Promise.race([browser?.close(), sleep(15_000)]);
    await server?.stop();
    rmSync(runDir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
