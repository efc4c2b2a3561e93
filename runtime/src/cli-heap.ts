// The CLI's heap policy, set before a run allocates (imported first by cli.ts; the library leaves
// its host's heap alone). V8 lets the old generation of a young process grow up to 4× its live
// data before the next full collection; a run's graph and records are long-lived, so that margin
// was most of the peak at 100,000 tasks (measured: ~3.2 KB RSS per task, ~2.4 KB with 25%). A
// smaller young generation cuts more but costs ~1.5× CPU, and its size is fixed at start-up anyway.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--heap-growing-percent=25');
