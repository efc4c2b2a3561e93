// Moves the outputs a rerun replaces aside (renamed, never deleted) under .plumb/rerun/<runId>/,
// and puts back what the rerun did not produce again. A manifest is written before the first
// rename, so a rerun killed at any moment is undone by the next plumb (recoverInterruptedReruns).
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { atomicWriteFileSync } from './atomic-write';
import { identityAlive, selfIdentity, type ProcessIdentity } from './process-identity';

export interface AsideEntry {
  taskId: string;
  /** Where the output lives (and goes back to). */
  original: string;
  /** Where it waits while the rerun runs. */
  aside: string;
}

export interface AsideManifest {
  version: 1;
  runId: string;
  /** The rerun's process: while it lives, nobody else restores its outputs. */
  owner: ProcessIdentity;
  startedAt: number;
  roots: string[];
  entries: AsideEntry[];
}

/** What putting outputs back did: moved back, kept as re-produced, or left aside after an error. */
export interface RestoreReport {
  runId: string;
  restored: string[];
  /** Outputs the rerun wrote again: the new one stays, the old copy is dropped. */
  reproduced: string[];
  /** Could not be moved back (the error is in `errors`): still under the aside directory. */
  stuck: string[];
  errors: string[];
}

export function rerunRoot(projectRoot: string): string {
  return path.join(projectRoot, '.plumb', 'rerun');
}

function manifestPath(dir: string): string {
  return path.join(dir, 'manifest.json');
}

function exists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Where an output waits: at its project-relative place under `dir` (absolute paths under absolute/). */
function asidePath(dir: string, projectRoot: string, file: string): string {
  const rel = path.relative(projectRoot, file);
  const inside = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  return inside
    ? path.join(dir, 'outputs', rel)
    : path.join(dir, 'outputs', 'absolute', file.slice(path.parse(file).root.length));
}

/** The outputs of one rerun, moved aside. */
export class MovedAside {
  private settled = false;

  private constructor(
    readonly dir: string,
    readonly manifest: AsideManifest,
  ) {}

  /**
   * Writes the manifest, then renames each output into `dir`. An output on another file system
   * (rename cannot cross one) waits beside itself instead, as a hidden sibling; the manifest says where.
   */
  static move(
    projectRoot: string,
    runId: string,
    roots: string[],
    outputs: { taskId: string; path: string }[],
  ): MovedAside {
    const dir = path.join(rerunRoot(projectRoot), runId);
    mkdirSync(dir, { recursive: true });
    const entries = outputs.map(({ taskId, path: original }) => ({
      taskId,
      original,
      aside: asidePath(dir, projectRoot, original),
    }));
    const manifest: AsideManifest = {
      version: 1,
      runId,
      owner: selfIdentity(),
      startedAt: Date.now(),
      roots,
      entries,
    };
    atomicWriteFileSync(manifestPath(dir), `${JSON.stringify(manifest, null, 2)}\n`);
    const moved = new MovedAside(dir, manifest);
    try {
      for (const entry of entries) moved.moveOne(entry);
    } catch (e) {
      moved.restore();
      throw e;
    }
    return moved;
  }

  private moveOne(entry: AsideEntry): void {
    mkdirSync(path.dirname(entry.aside), { recursive: true });
    try {
      renameSync(entry.original, entry.aside);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
      const sibling = path.join(
        path.dirname(entry.original),
        `.${path.basename(entry.original)}.plumb-rerun-${this.manifest.runId}`,
      );
      entry.aside = sibling;
      atomicWriteFileSync(manifestPath(this.dir), `${JSON.stringify(this.manifest, null, 2)}\n`);
      renameSync(entry.original, sibling);
    }
  }

  /** After a failed or cancelled rerun: every output it did not produce again goes back. */
  restore(): RestoreReport {
    this.settled = true;
    return restoreEntries(this.dir, this.manifest);
  }

  /** After a rerun that succeeded: the old copies are dropped (decided: not kept, see docs/guide.md). */
  discard(): void {
    this.settled = true;
    for (const entry of this.manifest.entries) {
      if (!entry.aside.startsWith(this.dir + path.sep)) rmSync(entry.aside, { recursive: true, force: true });
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Whether restore() or discard() ran (an exit handler restores only what nobody settled). */
  get isSettled(): boolean {
    return this.settled;
  }
}

function restoreEntries(dir: string, manifest: AsideManifest): RestoreReport {
  const report: RestoreReport = {
    runId: manifest.runId,
    restored: [],
    reproduced: [],
    stuck: [],
    errors: [],
  };
  for (const entry of manifest.entries) {
    if (!exists(entry.aside)) continue; // never moved (killed before), or already back
    try {
      if (exists(entry.original)) {
        rmSync(entry.aside, { recursive: true, force: true });
        report.reproduced.push(entry.original);
      } else {
        mkdirSync(path.dirname(entry.original), { recursive: true });
        renameSync(entry.aside, entry.original);
        report.restored.push(entry.original);
      }
    } catch (e) {
      report.stuck.push(entry.original);
      report.errors.push(`${entry.original}: ${(e as Error).message}`);
    }
  }
  // Kept while anything is stuck: the manifest is what `plumb rerun --recover` needs to try again.
  if (report.stuck.length === 0) rmSync(dir, { recursive: true, force: true });
  return report;
}

function readManifest(dir: string): AsideManifest | undefined {
  try {
    const value = JSON.parse(readFileSync(manifestPath(dir), 'utf8')) as AsideManifest;
    return value.version === 1 && Array.isArray(value.entries) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Restores the outputs of every rerun under `projectRoot` whose process is gone (killed, crashed):
 * what each would have restored had it ended. A rerun still running is left alone.
 */
export function recoverInterruptedReruns(projectRoot: string): RestoreReport[] {
  const root = rerunRoot(projectRoot);
  if (!existsSync(root)) return [];
  const reports: RestoreReport[] = [];
  for (const name of readdirSync(root).sort()) {
    const dir = path.join(root, name);
    const manifest = readManifest(dir);
    if (!manifest) {
      // Killed before its manifest was written: nothing was moved yet (the manifest comes first).
      if (!existsSync(path.join(dir, 'outputs'))) rmSync(dir, { recursive: true, force: true });
      continue;
    }
    if (identityAlive(manifest.owner)) continue;
    reports.push(restoreEntries(dir, manifest));
  }
  return reports;
}

/** One line per recovered rerun, for stderr. */
export function describeRecovery(report: RestoreReport): string {
  const parts = [`${report.restored.length} output${report.restored.length === 1 ? '' : 's'} restored`];
  if (report.reproduced.length) parts.push(`${report.reproduced.length} already produced again`);
  if (report.stuck.length)
    parts.push(`${report.stuck.length} could not be moved back: ${report.errors.join('; ')}`);
  return `plumb: an interrupted rerun (${report.runId}): ${parts.join(', ')}`;
}
