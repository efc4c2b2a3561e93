// The pipeline loader's transpiled modules: their inline source maps name the .ts file and carry
// no copy of its text (Node scans every character of a module it compiles with source maps on), and
// a task's failure still points into the .ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { cli, lineContaining, workspace } from './support/cli';

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

test("a pipeline's inline source map names the .ts and holds no copy of it; failures still map", () => {
  const ws = workspace('pipelines');
  const file = path.join(ws, 'pipeline.ts');
  const line = lineContaining(file, "throw new Error('boom");
  const cache = mkdtempSync(path.join(os.tmpdir(), 'plumb-loader-cache-'));
  try {
    const r = spawnSync(process.execPath, [cli(), 'run', 'pipeline.ts', 'Fails'], {
      cwd: ws,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: cache },
    });
    assert.equal(r.status, 1, r.stderr);
    // The failure's frame is the .ts line (source maps are on without --enable-source-maps).
    assert.match(r.stdout + r.stderr, new RegExp(`pipeline\\.ts:${line}:\\d+`));

    const entries = filesUnder(path.join(cache, 'plumb', 'ts')).map((f) => readFileSync(f, 'utf8'));
    const transpiled = entries.find((code) => code.includes('boom from the fixture'));
    assert.ok(transpiled, 'the pipeline was transpiled into the cache');
    const url = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/.exec(transpiled);
    assert.ok(url, 'an inline source map');
    const map = JSON.parse(Buffer.from(url[1]!, 'base64').toString('utf8')) as {
      sources: string[];
      sourcesContent?: unknown;
    };
    assert.deepEqual(map.sources, [file]);
    assert.equal(map.sourcesContent, undefined);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});
