// The durable floor: N tiny outputs with bare Node fs and the same guarantee as `plumb run --durable`
// (temp-file write, fsync of its data, rename, fsync of the directory), one at a time with
// synchronous calls, or through fs/promises with K outputs in flight: each syncing the directory
// after its own rename (`concurrent`), or sharing directory syncs as plumb does (`batched`: an
// output waits for the next sync to start after its rename; all waiting until it starts share it).
// Usage: node floor.mjs sync|concurrent|batched <dir> <n> [k]
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import path from 'node:path';

const [mode, dir, nText, kText = '64'] = process.argv.slice(2);
const n = Number(nText);
mkdirSync(dir, { recursive: true });
const name = (i) => path.join(dir, `leaf_${i}.txt`);
const temp = (i) => path.join(dir, `.leaf_${i}.txt.${process.pid}-${i}.tmp`);

function syncDirSync() {
  const fd = openSync(dir, 'r');
  fsyncSync(fd);
  closeSync(fd);
}

async function syncDir() {
  const handle = await open(dir, 'r');
  await handle.sync();
  await handle.close();
}

if (mode === 'sync') {
  for (let i = 0; i < n; i++) {
    if (existsSync(name(i))) continue;
    const fd = openSync(temp(i), 'w');
    writeSync(fd, `${i}\n`);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp(i), name(i));
    syncDirSync();
  }
} else {
  // Batched: `tail` is the last directory sync asked for, `queued` one not started yet (joined).
  let tail = Promise.resolve();
  let queued;
  const sharedSyncDir = () => {
    if (queued) return queued;
    const mine = tail.then(() => {
      if (queued === mine) queued = undefined;
      return syncDir();
    });
    queued = tail = mine;
    return mine;
  };
  const dirSync = mode === 'batched' ? sharedSyncDir : syncDir;
  let next = 0;
  const one = async (i) => {
    if (existsSync(name(i))) return;
    const handle = await open(temp(i), 'w');
    await handle.write(`${i}\n`);
    await handle.sync();
    await handle.close();
    await rename(temp(i), name(i));
    await dirSync();
  };
  const lane = async () => {
    while (next < n) await one(next++);
  };
  await Promise.all(Array.from({ length: Number(kText) }, lane));
}
