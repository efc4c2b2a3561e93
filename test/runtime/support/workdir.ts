// A fresh temporary project root per test for in-process runs (real files, removed afterwards).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setProjectRoot } from '../../../runtime/src/project-root';

export function freshRoot(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plumb-run-'));
  setProjectRoot(dir);
  t.after(() => {
    setProjectRoot(undefined);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}
