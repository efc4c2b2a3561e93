// scripts/redis/server.mjs: a real redis-server on a free loopback port, in its own directory, gone after stop().
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { startRedis } from '../../scripts/redis/server.mjs';

test('startRedis starts a real server on a free loopback port that BullMQ can use, and stop() removes it', async () => {
  const [a, b] = await Promise.all([startRedis(), startRedis()]);
  try {
    assert.notEqual(a.port, b.port);
    const client = new Redis(a.url, { maxRetriesPerRequest: null });
    try {
      assert.equal(await client.ping(), 'PONG');
      // BullMQ warns (and may lose jobs) under any eviction policy but noeviction.
      assert.deepEqual(await client.config('GET', 'maxmemory-policy'), ['maxmemory-policy', 'noeviction']);
      await client.set('k', 'v');
    } finally {
      client.disconnect();
    }
    const other = new Redis(b.url, { maxRetriesPerRequest: null });
    try {
      assert.equal(await other.get('k'), null, 'two servers share nothing');
    } finally {
      other.disconnect();
    }
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
  assert.equal(existsSync(a.dir), false);
  const refused = new Redis(a.url, { lazyConnect: true, retryStrategy: () => null });
  refused.on('error', () => {});
  await assert.rejects(refused.connect());
  refused.disconnect();
});
