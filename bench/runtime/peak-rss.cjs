// Preloaded (-r) into every timed process: reports its peak resident memory and CPU time (all its
// threads) on exit, on stderr. fs.writeSync, not process.stderr: creating a process's first stdio
// stream on a pipe loads node:net (~3-4 ms), which a floor process never does otherwise.
// -r reaches worker threads too (execArgv is inherited): only the process's own exit reports, else
// a worker ending first would give the figure (the first one is read) before the run is over.
if (process.getBuiltinModule('node:worker_threads').isMainThread)
  process.on('exit', () => {
    const usage = process.resourceUsage();
    process
      .getBuiltinModule('node:fs')
      .writeSync(2, `\n@@peak-rss-kb ${usage.maxRSS} @@cpu-us ${usage.userCPUTime + usage.systemCPUTime}\n`);
  });
