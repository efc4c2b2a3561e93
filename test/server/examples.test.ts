// The editor sees every example and e2e workspace as it is: no problems but the deliberate ones
// (broken-pipeline's cycle and missing input). Each folder is analysed alone, as a user opens it,
// and the examples folder whole, as this repository's own workspace shows it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { allDiagnostics, analyseFolder } from './fixtureWorkspace';

const repo = path.resolve(import.meta.dirname, '../..');
const examples = path.join(repo, 'examples');
const workspaces = path.join(repo, 'test/e2e/workspaces');
/** Folders broken on purpose, and the files holding their deliberate problems. */
const DELIBERATE: Record<string, string[]> = { 'broken-pipeline': ['cycle.ts', 'missing-input.ts'] };

const subfolders = (dir: string) =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(dir, d.name));

function problems(folder: string): string[] {
  return allDiagnostics(analyseFolder(folder).result).map(
    (d) => `${path.relative(folder, fileURLToPath(d.uri))}:${d.range.start.line + 1} ${d.code} ${d.message}`,
  );
}

for (const folder of [examples, ...subfolders(examples), ...subfolders(workspaces)]) {
  const name = path.basename(folder);
  const deliberate = DELIBERATE[name];
  it(`${path.relative(repo, folder)}: ${deliberate ? 'only its deliberate problems' : 'no problems'}`, () => {
    const found = problems(folder);
    if (!deliberate) return assert.deepEqual(found, []);
    assert.ok(found.length > 0, 'its deliberate problems are found');
    const others = found.filter((p) => !deliberate.some((file) => p.startsWith(file + ':')));
    assert.deepEqual(others, []);
  });
}
