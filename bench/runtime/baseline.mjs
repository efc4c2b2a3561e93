// The floor: what N tiny outputs cost with bare Node fs and nothing else, in the same layout as the
// benchmark's tasks (an existence check, a temp-file write, a rename; or only the existence check).
// Usage: node baseline.mjs fresh|rerun <dir> <prefix> <n>
import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';

const [mode, dir, prefix, nText] = process.argv.slice(2);
const n = Number(nText);
mkdirSync(dir, { recursive: true });
let complete = 0;
for (let i = 0; i < n; i++) {
  const file = path.join(dir, `${prefix}_${i}.txt`);
  if (existsSync(file)) {
    complete++;
    continue;
  }
  if (mode === 'rerun') continue;
  const temp = path.join(dir, `.${prefix}_${i}.txt.${process.pid}-${i}.tmp`);
  const fd = openSync(temp, 'w');
  writeSync(fd, `${i}\n`);
  closeSync(fd);
  renameSync(temp, file);
}
if (mode === 'rerun' && complete !== n) throw new Error(`baseline rerun found ${complete} of ${n}`);
