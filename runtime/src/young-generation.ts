// V8's young generation held at its size while a run discovers its graph: discovery builds objects
// that all live on (tasks, their outputs' listings, graph nodes), and a young generation grown for
// them copies each one again at every scavenge before it is promoted.
import { setFlagsFromString } from 'node:v8';

/**
 * V8's own growth factor (its default in Node 20's V8 11.3 and since): restored once nobody holds.
 * Measured at 100,000 complete tasks (a no-op rerun): held, the young generation stays ~1 MB and the
 * main thread's CPU falls by ~0.14 s of ~0.6 s, the peak by ~30 MB; grown (to 16 MB a semi-space
 * by factors of 2), each scavenge copied up to 16 MB of survivors. A run's tasks allocate mostly
 * short-lived objects, where a larger young generation pays: so only discovery holds it.
 */
const V8_GROWTH_FACTOR = 2;
/** A host that sets the factor itself (node --semi-space-growth-factor=N) keeps it. */
const setByHost = process.execArgv.some((a) => a.replace(/_/g, '-').startsWith('--semi-space-growth-factor'));
let holders = 0;

/**
 * Keeps the young generation from growing until the returned release is called (once; further
 * calls do nothing). Holds nest: the factor comes back when the last holder releases. A factor of
 * 1 only means "grow by 1×": V8 then keeps the size it has (its command line refuses < 2, but the
 * value is read at each growth).
 */
export function holdYoungGeneration(): () => void {
  if (setByHost) return () => undefined;
  if (holders++ === 0) setGrowthFactor(1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--holders === 0) setGrowthFactor(V8_GROWTH_FACTOR);
  };
}

/** Whether some caller holds the young generation now (for tests). */
export function youngGenerationHeld(): boolean {
  return holders > 0;
}

function setGrowthFactor(factor: number): void {
  setFlagsFromString(`--semi-space-growth-factor=${factor}`);
}
