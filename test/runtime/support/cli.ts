// Runs the real `plumb` CLI in child processes: built once per test file from runtime/src/cli.ts
// (by the build's own settings for the shipped bundle), run against copies of fixture workspaces.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEventLine, type RunEvent } from '../../../runtime/src/events';
import { buildRuntimeCli } from '../../../scripts/build.mjs';

const repo = path.resolve(__dirname, '../../..');
let cliPath: string | undefined;

/** The CLI bundle, built into test-output/ once per process. */
export function cli(): string {
  if (cliPath) return cliPath;
  const outdir = path.join(repo, 'test-output', `runtime-cli-${process.pid}`);
  cliPath = buildRuntimeCli(outdir);
  process.on('exit', () => rmSync(outdir, { recursive: true, force: true }));
  return cliPath;
}

/** A fresh copy of test/runtime/fixtures/<name> in the OS temp dir (outside the repo: no node_modules). */
export function workspace(name: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `plumb-${name}-`));
  cpSync(path.join(__dirname, '..', 'fixtures', name), dir, { recursive: true });
  return dir;
}

/** The user cache plumb's transpile cache goes to: one per test process, never the real home's. */
let cacheHome: string | undefined;
function testCacheHome(): string {
  if (cacheHome) return cacheHome;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plumb-test-cache-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return (cacheHome = dir);
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  events: RunEvent[];
}

export function runCli(cwd: string, args: string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, ['--enable-source-maps', cli(), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: testCacheHome(), ...env },
    timeout: 60_000,
  });
  return {
    code: r.status,
    signal: r.signal,
    stdout: r.stdout,
    stderr: r.stderr,
    events: r.stdout.split('\n').flatMap((l) => parseEventLine(l) ?? []),
  };
}

export function startCli(cwd: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--enable-source-maps', cli(), ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: testCacheHome(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves with everything the process wrote once it exits. */
export function finished(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) =>
    child.on('close', (code, signal) =>
      resolve({
        code,
        signal,
        stdout,
        stderr,
        events: stdout.split('\n').flatMap((l) => parseEventLine(l) ?? []),
      }),
    ),
  );
}

/** Resolves when `predicate` holds for the process's stdout so far. */
export function waitForOutput(
  child: ChildProcess,
  predicate: (text: string) => boolean,
  timeoutMs = 20_000,
): Promise<void> {
  let seen = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting; saw:\n${seen}`)), timeoutMs);
    child.stdout?.on('data', (d: Buffer | string) => {
      seen += String(d);
      if (predicate(seen)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

/** Every file under `dir` (relative paths), for "no partial file anywhere" checks. */
export function allFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(path.relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

/** The 1-based number of the first line of `file` that contains `text`. */
export function lineContaining(file: string, text: string): number {
  return (
    readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(text)) + 1
  );
}
