import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventBatcher } from '../../client/src/eventBatcher';

test('a burst becomes one batch, in order', async () => {
  const batches: number[][] = [];
  const delivered = new Promise<void>((resolve) => {
    const batcher = new EventBatcher<number>((items) => {
      batches.push(items);
      resolve();
    });
    for (let i = 0; i < 1000; i++) batcher.add([i]);
  });
  await delivered;
  assert.equal(batches.length, 1);
  assert.deepEqual(
    batches[0],
    Array.from({ length: 1000 }, (_, i) => i),
  );
});

test('flushNow hands over at once and leaves nothing behind; dispose drops what waits', () => {
  const batches: string[][] = [];
  const batcher = new EventBatcher<string>((items) => batches.push(items));
  batcher.add(['a', 'b']);
  batcher.add([]);
  batcher.flushNow();
  batcher.flushNow();
  assert.deepEqual(batches, [['a', 'b']]);
  batcher.add(['c']);
  batcher.dispose();
  batcher.flushNow();
  assert.deepEqual(batches, [['a', 'b']]);
});
