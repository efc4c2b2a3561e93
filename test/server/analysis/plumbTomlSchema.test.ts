// The editor's list of plumb.toml keys (completion, integration checks) against the parsers that
// own them: the runtime's config.ts and operations/, and plumb-postgres's settings. When a section
// gains a key, this fails until plumbTomlSchema.ts lists it too.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from 'plumb-pipelines';
import { parsePostgresSection } from '../../../postgres/src/settings';
import { sectionSpec } from '../../../server/src/analysis/plumbTomlSchema';

/** The "(known: a, b)" list of the parser's error for an unknown key. */
function knownKeys(parse: () => unknown): string[] {
  try {
    parse();
  } catch (e) {
    const known = /\(known: ([^)]*)\)/.exec((e as Error).message);
    assert.ok(known, (e as Error).message);
    return known[1]!.split(', ').sort();
  }
  assert.fail('an unknown key was accepted');
}

test('every section the runtime reads lists the same keys in the editor', () => {
  const probe = 'zz_not_a_key = 1';
  const cases: [string, string][] = [
    ['run', `[run]\n${probe}`],
    ['tasks', `[tasks.X]\n${probe}`],
    ['alerts', `[alerts]\n${probe}`],
    ['test_mode', `[test_mode]\n${probe}`],
    ['schedules', `[[schedules]]\n${probe}`],
  ];
  for (const [section, toml] of cases) {
    const editor = sectionSpec(section)!
      .keys.map((k) => k.name)
      .sort();
    assert.deepEqual(
      editor,
      knownKeys(() => parseConfig(toml, 'plumb.toml')),
      `[${section}]`,
    );
  }
});

test("[postgres] lists plumb-postgres's keys", () => {
  const editor = sectionSpec('postgres')!
    .keys.map((k) => k.name)
    .sort();
  assert.deepEqual(
    editor,
    knownKeys(() => parsePostgresSection('[postgres]\nzz = 1', 'plumb.toml')),
  );
});
