// Preloaded (-r) by bench/runtime-rerun.ts: the main thread's own CPU time at exit (Linux
// /proc/self/task/<pid>/stat, 10 ms ticks), beside the whole process's (peak-rss.cjs).
// Written with fs.writeSync: process.stderr would load node:net into a process that had none (peak-rss.cjs).
const { readFileSync, writeSync } = process.getBuiltinModule('node:fs');

// -r reaches worker threads too (execArgv is inherited): only the process's own exit reports, else
// a worker ending first would give the figure (the first one is read) before the run is over.
if (process.getBuiltinModule('node:worker_threads').isMainThread)
  process.on('exit', () => {
    try {
      const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      writeSync(2, `\n@@main-cpu-ms ${(Number(fields[11]) + Number(fields[12])) * 10}\n`);
    } catch {
      // Not Linux: no per-thread figure.
    }
  });
