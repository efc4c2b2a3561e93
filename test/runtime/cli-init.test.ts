// `plumb init` without npm: what it writes, the sample input its generator makes, and that it never
// overwrites. (test/package/tarball.test.ts installs and runs the project it writes.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { UsageError } from '../../runtime/src/cli-args';
import { initCommand, packageName } from '../../runtime/src/cli-init';
import { EXIT_CODES } from '../../runtime/src/events';

function scratch(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plumb-init-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('writes the project, three days of input, and prints the steps to run it', (t) => {
  const dir = path.join(scratch(t), 'My Sales');
  let printed = '';
  assert.equal(
    initCommand([dir], (text) => (printed += text)),
    0,
  );
  assert.deepEqual(readdirSync(dir).sort(), [
    '.gitignore',
    'README.md',
    'generate-data.mjs',
    'input',
    'package.json',
    'pipeline.ts',
    'plumb.toml',
    'tsconfig.json',
  ]);
  assert.deepEqual(readdirSync(path.join(dir, 'input')).sort(), [
    'orders_2026-11-01.csv',
    'orders_2026-11-02.csv',
    'orders_2026-11-03.csv',
  ]);
  const csv = readFileSync(path.join(dir, 'input', 'orders_2026-11-01.csv'), 'utf8').split('\n');
  assert.equal(csv[0], 'order,product,quantity,price');
  assert.match(csv[1]!, /^2026-11-01-1,[a-z-]+,\d,[\d.]+$/);
  assert.equal(
    (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name: string }).name,
    'my-sales',
  );
  assert.match(printed, /Next steps:\n {2}cd .*\n {2}npm install\n {2}npx plumb run pipeline\.ts All\n/);
});

test('refuses to overwrite: one existing file and nothing is written', (t) => {
  const dir = scratch(t);
  writeFileSync(path.join(dir, 'plumb.toml'), '# mine\n');
  assert.throws(
    () => initCommand([dir], () => undefined),
    (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.match(e.message, /already has plumb\.toml: plumb init never overwrites/);
      return true;
    },
  );
  assert.deepEqual(readdirSync(dir), ['plumb.toml']);
  assert.equal(readFileSync(path.join(dir, 'plumb.toml'), 'utf8'), '# mine\n');
});

test('writes into an existing folder that holds other things (a fresh git repository)', (t) => {
  const dir = scratch(t);
  mkdirSync(path.join(dir, '.git'));
  assert.equal(
    initCommand([dir], () => undefined),
    0,
  );
  assert.ok(existsSync(path.join(dir, 'pipeline.ts')));
});

test('package names from folder names', () => {
  assert.equal(packageName('/x/My Sales'), 'my-sales');
  assert.equal(packageName('/x/.hidden_'), 'hidden_');
  assert.equal(packageName('/'), 'my-pipeline');
});

test("the new project's CLI: --date-interval without a value is reported missing, not parsed as 'true'", (t) => {
  const dir = path.join(scratch(t), 'p');
  initCommand([dir], () => undefined);
  const cli = path.resolve(__dirname, '../../runtime/dist/cli.js');
  for (const args of [
    ['RevenueReport', '--date-interval'],
    ['RevenueReport', '--date-interval', '--top', '3'],
  ]) {
    const r = spawnSync(process.execPath, [cli, 'run', 'pipeline.ts', ...args, '--no-color'], {
      cwd: dir,
      encoding: 'utf8',
    });
    assert.equal(r.status, EXIT_CODES.error, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /parameter 'dateInterval' \(--date-interval\) missing value/, args.join(' '));
    assert.doesNotMatch(r.stderr, /'true'/);
  }
});
