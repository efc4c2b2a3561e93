import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParamMemory, type ValueStore } from '../../client/src/paramMemory';

/** A store that keeps values as workspaceState does: JSON in, JSON out (so nothing is shared by reference). */
class JsonStore implements ValueStore {
  readonly saved = new Map<string, string>();
  get<T>(key: string, defaultValue: T): T {
    const text = this.saved.get(key);
    return text === undefined ? defaultValue : (JSON.parse(text) as T);
  }
  async update(key: string, value: unknown): Promise<void> {
    this.saved.set(key, JSON.stringify(value));
  }
}

const top = { uri: 'file:///w/pipeline.ts', family: 'Top10Artists' };
const sameNameElsewhere = { uri: 'file:///w/other.ts', family: 'Top10Artists' };

test('the last value typed per task and parameter is offered again, also after a restart', async () => {
  const store = new JsonStore();
  const memory = new ParamMemory(store);
  assert.deepEqual(memory.recall(top), {});
  await memory.remember(top, { dateInterval: '2026-11-01-2026-11-07' });
  await memory.remember(top, { dateInterval: '2026-11-02-2026-11-03' });
  assert.deepEqual(memory.recall(top), { dateInterval: '2026-11-02-2026-11-03' });
  // A new session reads the same workspace state.
  assert.deepEqual(new ParamMemory(store).recall(top), { dateInterval: '2026-11-02-2026-11-03' });
});

test('tasks do not share values, and a parameter not asked this time stays remembered', async () => {
  const memory = new ParamMemory(new JsonStore());
  await memory.remember(top, { dateInterval: '2026-11-01-2026-11-07', limit: '10' });
  await memory.remember(sameNameElsewhere, { dateInterval: '2025-01-01-2025-01-02' });
  await memory.remember(top, { limit: '20' });
  assert.deepEqual(memory.recall(top), { dateInterval: '2026-11-01-2026-11-07', limit: '20' });
  assert.deepEqual(memory.recall(sameNameElsewhere), { dateInterval: '2025-01-01-2025-01-02' });
  const recalled = memory.recall(top);
  recalled.limit = 'changed by the caller';
  assert.equal(memory.recall(top).limit, '20', 'recall hands out a copy');
});
