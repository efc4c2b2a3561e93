// What changed on disk between the scan and the moment file watchers were surely in place: the
// folders listed again and compared with what the analysis knows, so a file written in that gap
// (which no watcher reports) is not missed until a restart. Run once, when the watchers are acked.
import fs from 'node:fs';
import type { DataFiles } from './dataFiles';
import type { FileChange } from './workspaceAnalysis';
import type { WorkspaceFiles } from './workspaceFiles';
import { isSourceFile, MAX_FILES, scanWorkspace } from './workspaceScan';

/**
 * Sources modified this long before the scan began are read again too: some file systems keep
 * mtimes to the second (or two), and reading a file again costs only its imports.
 */
const MTIME_SLACK_MS = 2000;

export function changesSinceScan(
  roots: string[],
  workspace: WorkspaceFiles,
  known: DataFiles,
  scannedAt: number,
): FileChange[] {
  const { files } = scanWorkspace(roots, workspace);
  const listed = new Set(files);
  const changes: FileChange[] = [];
  for (const file of files) {
    if (!known.has(file)) changes.push({ file, kind: 'created' });
    else if (isSourceFile(file) && modifiedSince(file, scannedAt - MTIME_SLACK_MS))
      changes.push({ file, kind: 'changed' });
  }
  // A listing cut at the cap says nothing of the files past it.
  if (files.length < MAX_FILES)
    for (const root of roots)
      for (const file of known.filesUnder(root))
        if (!listed.has(file)) changes.push({ file, kind: 'deleted' });
  return changes;
}

function modifiedSince(file: string, time: number): boolean {
  try {
    return fs.statSync(file).mtimeMs >= time;
  } catch {
    return false; // gone since the listing: the next listing or an event says so
  }
}
