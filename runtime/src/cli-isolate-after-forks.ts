// When the run's first isolated attempts may be sent: after the scan for a dead run's survivors,
// which waits until the scheduler has forked every member its first turns start. A fork blocks the
// run's thread (until the child has exec'd, 15-200 ms), so the scheduler yields between forks; a scan
// run in the next turn came before the second fork, and that member started 0.1-0.4 s late.

/**
 * Runs `fn` once a turn of the event loop has passed without a fork (`forks()` unchanged), at the
 * latest after `maxTurns` turns; resolves once it ran.
 */
export function afterForks(forks: () => number, fn: () => unknown, maxTurns = 64): Promise<void> {
  return new Promise((resolve) => {
    let seen = forks();
    let turns = 0;
    const check = (first: boolean) => {
      const now = forks();
      // The first turn always waits: the scheduler's next slice was queued after this check.
      if ((first || now !== seen) && ++turns < maxTurns) {
        seen = now;
        setImmediate(() => check(false));
        return;
      }
      try {
        fn();
      } finally {
        resolve();
      }
    };
    setImmediate(() => check(true));
  });
}
