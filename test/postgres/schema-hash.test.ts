// The schema hash a load records: what changes it (a rebuild) and what does not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { schemaHash } from '../../postgres/src/schema-hash';

test('the schema hash changes with a column, a type or the source description, not with spacing or key order', () => {
  const base = schemaHash({ id: 'bigint', name: 'text' }, { fields: ['id', 'name'], v: 1 });
  assert.equal(schemaHash({ id: 'BIGINT', name: ' text ' }, { v: 1, fields: ['id', 'name'] }), base);
  assert.notEqual(schemaHash({ id: 'bigint', name: 'varchar' }, { fields: ['id', 'name'], v: 1 }), base);
  assert.notEqual(schemaHash({ name: 'text', id: 'bigint' }, { fields: ['id', 'name'], v: 1 }), base);
  assert.notEqual(schemaHash({ id: 'bigint', name: 'text' }, { fields: ['id', 'name'], v: 2 }), base);
});
