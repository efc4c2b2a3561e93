// Where the graph view's time goes for a big graph (issue 15): Chromium's CPU profile of the page
// from the graph message to the applied layout, as top self-time functions.
// Usage: node --import tsx bench/webview-profile.ts [nodes] [fan-in] [--timeline] [--before DIR]
import type { PipelineGraph } from '../server/src/protocol';
import { readGraph } from '../test/client/webview/fixtureFiles';
import { startViewBrowser } from '../test/client/webview/viewPage';
import { buildViewBundles, shapeInput, timeToLayout } from './webview-layout';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  ts: number;
  args?: { name?: string };
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 1000);
  const shape = process.argv.includes('fan-in') ? 'fan-in' : 'layered';
  const template = readGraph('music-graph.json');
  const base = template.nodes[2]!;
  const input = shapeInput(shape, n);
  const graph: PipelineGraph = {
    ...template,
    nodes: input.nodes.map((node) => ({ ...base, family: node.id, id: node.id, inCycle: false })),
    edges: input.edges.map((e) => ({ ...template.edges[0]!, from: e.target, to: e.source, inCycle: false })),
    cycles: [],
  };
  const bundleDir = process.argv.includes('--before')
    ? process.argv[process.argv.indexOf('--before') + 1]!
    : await buildViewBundles();
  const browser = await startViewBrowser();
  try {
    const page = await browser.open('graph', 'manual', { width: 1000, height: 700 }, bundleDir);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    const events: TraceEvent[] = [];
    cdp.on('Tracing.dataCollected', (data) => events.push(...(data.value as unknown as TraceEvent[])));
    const traced = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.start', {
      categories: 'devtools.timeline,disabled-by-default-devtools.timeline',
      transferMode: 'ReportEvents',
    });
    page.setDefaultTimeout(120_000);
    const ms = await timeToLayout(page, { type: 'graph', graph, depth: -1 }, 1);
    await cdp.send('Tracing.end');
    await traced;
    const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
    const totals = new Map<string, number>();
    for (const e of events) {
      if (e.ph !== 'X' || e.tid !== main?.tid || e.pid !== main?.pid) continue;
      totals.set(e.name, (totals.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
    }
    const mainEvents = events.filter((e) => e.tid === main?.tid && e.pid === main?.pid && e.ph === 'X');
    const t0 = Math.min(...mainEvents.map((e) => e.ts));
    if (process.argv.includes('--timeline'))
      for (const e of mainEvents.filter((e) => (e.dur ?? 0) > 10_000))
        console.log(
          `${((e.ts - t0) / 1000).toFixed(0).padStart(6)} +${((e.dur ?? 0) / 1000).toFixed(0).padStart(5)} ${e.name}`,
        );
    console.log('renderer main thread, by event (inclusive ms):');
    for (const [name, t] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, 15))
      console.log(`${t.toFixed(0).padStart(7)} ms  ${name}`);
    const { profile } = (await cdp.send('Profiler.stop')) as {
      profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
    };
    const byId = new Map(profile.nodes.map((p) => [p.id, p]));
    const self = new Map<string, number>();
    profile.samples.forEach((id, i) => {
      const frame = byId.get(id)!.callFrame;
      const key = `${frame.functionName || '(anon)'} ${frame.url.split('/').pop()}:${frame.lineNumber}`;
      self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
    console.log(`${shape} ${n}: ${ms.toFixed(0)} ms in the page, message → layout painted`);
    for (const [key, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25))
      console.log(`${t.toFixed(0).padStart(7)} ms  ${key}`);
  } finally {
    await browser.close();
  }
}

void main();
