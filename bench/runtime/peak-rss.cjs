// Preloaded (-r) into every timed process: reports its peak resident memory on exit, on stderr
// (synchronous for pipes on Linux, so it survives process.exit()).
process.on('exit', () => {
  process.stderr.write(`\n@@peak-rss-kb ${process.resourceUsage().maxRSS}\n`);
});
