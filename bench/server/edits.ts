// The one-line edits of the language-server benchmark, as someone typing would make them: the same
// deterministic sequence for every phase, in turn a parameter default, an output path, and a
// requirement dropped from an array (which changes the graph's edges).
import fs from 'node:fs';
import path from 'node:path';

export interface OneLineEdit {
  file: string;
  /** The whole new text of the file (one line differs from its previous text). */
  text: string;
}

export function editSequence(root: string, count: number): OneLineEdit[] {
  const dir = path.join(root, 'pipelines');
  const files = fs
    .readdirSync(dir)
    .sort()
    .map((f) => path.join(dir, f));
  const texts = new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));
  const edits: OneLineEdit[] = [];
  let seed = 1;
  for (let i = 0; edits.length < count && i < count * 10; i++) {
    seed = (seed * 48271) % 2147483647;
    const file = files[seed % files.length]!;
    const before = texts.get(file)!;
    const text =
      i % 3 === 0
        ? before.replace(/limit: param\.int\(\{ default: (\d+) \}\)/, (_m, n: string) => {
            return `limit: param.int({ default: ${Number(n) + 1} })`;
          })
        : i % 3 === 1
          ? before.replace(/LocalTarget\(`data\/p(\d+)(v*)\//, (_m, p: string, v: string) => {
              return `LocalTarget(\`data/p${p}${v}v/`;
            })
          : // Drops the first of several requirements: the graph's edges change.
            before.replace(/return \[new \w+\(\{ date: this\.date \}\), (?=new )/, 'return [');
    if (text === before) continue; // a file of external inputs only: nothing of that kind to edit
    texts.set(file, text);
    edits.push({ file, text });
  }
  return edits;
}

/** `mean` too: CPU comes in 10 ms ticks, so percentiles of a 30 ms edit move a whole tick at a time. */
export function percentiles(times: number[]): {
  p50: number;
  p95: number;
  max: number;
  n: number;
  mean: number;
} {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  const mean = sorted.reduce((sum, t) => sum + t, 0) / (sorted.length || 1);
  return { p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] ?? 0, n: sorted.length, mean };
}
