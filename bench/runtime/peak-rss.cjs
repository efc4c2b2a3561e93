// Preloaded (-r) into every timed process: reports its peak resident memory and CPU time (all its
// threads) on exit, on stderr (synchronous for pipes on Linux, so it survives process.exit()).
process.on('exit', () => {
  const usage = process.resourceUsage();
  process.stderr.write(
    `\n@@peak-rss-kb ${usage.maxRSS} @@cpu-us ${usage.userCPUTime + usage.systemCPUTime}\n`,
  );
});
