// [postgres] and [cluster] in plumb.toml: the core keeps them raw, the editor checks their keys and
// value types as you type.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkIntegrationSections } from '../../../server/src/analysis/integrationTomlCheck';
import { tomlLayout } from '../../../server/src/analysis/tomlLayout';
import { parse } from 'smol-toml';

const check = (text: string) =>
  checkIntegrationSections('file:///p/plumb.toml', parse(text) as Record<string, unknown>, tomlLayout(text));

test('unknown keys of [postgres] and [cluster], with did-you-mean and a quick fix', () => {
  const ds = check('[postgres]\nhots = "db"\npassword = "x"\n\n[cluster]\nrediss = "redis://h:1"\n');
  assert.deepEqual(
    ds.map((d) => [d.range.start.line, d.code, d.fixes?.[0]?.edits[0]?.newText]),
    [
      [1, 'plumb.config-unknown-key', 'host'],
      [2, 'plumb.config-unknown-key', undefined],
      [5, 'plumb.config-unknown-key', 'redis'],
    ],
  );
  assert.match(ds[0]!.message, /Unknown plumb-postgres setting 'hots' \(did you mean host\?\)/);
  assert.match(ds[1]!.message, /does not belong in a checked-in file/);
});

test('wrong value types', () => {
  const ds = check('[postgres]\nport = 70000\nssl = "yes"\n\n[cluster]\nredis = "localhost:6379"\n');
  assert.deepEqual(
    ds.map((d) => [d.range.start.line, d.message]),
    [
      [1, 'postgres.port must be a port number (1–65535).'],
      [2, 'postgres.ssl must be true or false.'],
      [5, 'cluster.redis must be a Redis URL (redis://host:port).'],
    ],
  );
  assert.deepEqual(
    check('[postgres]\nport = 5432\nssl = true\n[cluster]\nredis = "redis://127.0.0.1:1"\n'),
    [],
  );
});
