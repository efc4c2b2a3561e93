// One layer of plumb's 3,000-task fan-out without the layers above it (bench/runtime-layers.ts):
//   core     the library's Task and LocalTarget alone: construct every leaf, check its output,
//            run() it (an atomic writeTextSync). No graph, scheduler or events.
//   library  runTasks() on the fan-out: discovery, graph, scheduler, event objects, summary. No CLI
//            and no line listener, so no event text.
//   lines    the same with a line listener: each event's JSON text is built (as the run log's is).
// The tasks are bench/runtime/dags.ts's Leaf and FanOut, written in plain JS here so no transpiler runs.
// Usage: node layer.mjs <runtime dist dir> core|library|lines <output dir> <n>
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Loads the runtime build in `dist` and the fan-out's tasks, whose outputs go to `out`; returns what
 * runs one layer of an `n`-task fan-out (loading apart, so layer-heap.mjs counts only the run).
 */
export function loadLayers(dist, out) {
  const { LocalTarget, Task, WrapperTask, param, runTasks, EventStream, newRunId } = createRequire(
    import.meta.url,
  )(path.resolve(dist, 'entry.cjs'));

  class Leaf extends Task.with({ i: param.int() }) {
    output() {
      return new LocalTarget(path.join(out, `leaf_${this.i}.txt`));
    }
    run() {
      this.output().writeTextSync(`${this.i}\n`);
    }
  }

  class FanOut extends WrapperTask.with({ n: param.int() }) {
    requires() {
      const leaves = [];
      for (let i = 0; i < this.n; i++) leaves.push(new Leaf({ i }));
      return leaves;
    }
  }

  return async (layer, n) => {
    if (layer === 'core') {
      mkdirSync(out, { recursive: true });
      const leaves = [];
      for (let i = 0; i < n; i++) leaves.push(new Leaf({ i }));
      for (const leaf of leaves) if (!leaf.output().exists()) leaf.run();
    } else if (layer === 'library' || layer === 'lines') {
      const events = new EventStream(newRunId());
      let bytes = 0;
      if (layer === 'lines') events.onLine((line) => (bytes += line.length));
      // As `plumb run` without --ipc: no listener buffers events, so attempts need not wait a turn.
      const result = await runTasks(new FanOut({ n }), { workers: 1, events, yieldBeforeUserCode: false });
      if (result.exitCode !== 0)
        throw new Error(`the fan-out ended ${result.outcome}: ${result.message ?? ''}`);
      if (layer === 'lines' && bytes === 0) throw new Error('no event text was built');
    } else {
      throw new Error(`unknown layer ${layer}: core, library or lines`);
    }
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dist, layer, out, nText] = process.argv.slice(2);
  await loadLayers(dist, out)(layer, Number(nText));
}
