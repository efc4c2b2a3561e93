// Deletes a benchmark's trash directory slowly, in the background: a burst of deletions makes the
// file system slow for minutes afterwards (recently freed inodes are skipped by the allocator, see
// ../shared/PERFORMANCE.md), which would disturb whatever is measured next on the machine.
// Usage (detached, by trash.ts): node trash-collector.mjs <trash-dir>
import {
  closeSync,
  lstatSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  rmdirSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const trash = process.argv[2];
const batch = 500; // files per burst
const pauseMs = 50; // between bursts: ~10,000 files a second at most

// One collector at a time: a second one (a benchmark that ended while the first still works) leaves,
// unless the lock's owner is dead (a collector killed with the machine).
const lock = path.join(trash, '.collector');
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
function takeLock() {
  try {
    return openSync(lock, 'wx');
  } catch {
    const owner = Number(readFileSync(lock, 'utf8'));
    if (owner && alive(owner)) return undefined;
    rmSync(lock, { force: true });
    return openSync(lock, 'wx');
  }
}
let fd;
try {
  fd = takeLock();
} catch {
  fd = undefined;
}
if (fd === undefined) process.exit(0);
writeSync(fd, String(process.pid));

let sinceRest = 0;
async function remove(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (full === lock) continue;
    if (entry.isDirectory()) {
      await remove(full);
      try {
        rmdirSync(full);
      } catch {
        rmSync(full, { recursive: true, force: true });
      }
    } else {
      try {
        unlinkSync(full);
      } catch {
        // Already gone, or not ours to delete: leave it.
      }
      if (++sinceRest >= batch) {
        sinceRest = 0;
        await sleep(pauseMs);
      }
    }
  }
}

try {
  // Entries moved in while we worked are taken on the next pass.
  for (;;) {
    const left = readdirSync(trash).filter((n) => n !== '.collector');
    if (left.length === 0) break;
    await remove(trash);
  }
} finally {
  closeSync(fd);
  unlinkSync(lock);
  try {
    if (lstatSync(trash).isDirectory()) rmdirSync(trash);
  } catch {
    // Something new arrived: the benchmark that put it there starts its own collector.
  }
}
