// Entry the workbench loads as `extensionTestsPath`: runs every bundled *.suite.js beside it with
// Mocha inside the extension host and rejects when any test fails (the workbench then exits 1).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000 });
  for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.suite.js'))) {
    mocha.addFile(path.join(__dirname, file));
  }
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
}
