// The cluster benchmark's floor: a bare BullMQ Worker (concurrency 1) whose processor sleeps the
// job's `ms` asynchronously and returns, with plumb's worker options. What plumb's path costs above
// this is plumb's; this is BullMQ's and Redis's own. Usage: node floor-worker.mjs <redis-url> <queue>
import { Worker } from 'bullmq';
import { setTimeout as sleep } from 'node:timers/promises';

const [url, queueName] = process.argv.slice(2);
const u = new URL(url);
const worker = new Worker(
  queueName,
  async (job) => {
    if (job.data.ms > 0) await sleep(job.data.ms);
    return { worker: 'floor' };
  },
  {
    connection: { host: u.hostname, port: Number(u.port), maxRetriesPerRequest: null },
    concurrency: 1,
    lockDuration: 10_000,
    stalledInterval: 5_000,
    maxStalledCount: 3,
  },
);
await worker.waitUntilReady();
process.stderr.write(': ready on floor\n');
process.once('SIGTERM', () => void worker.close().then(() => process.exit(0)));
