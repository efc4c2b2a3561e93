// Whether a file a webview asks the host to open lies inside the workspace folders. A webview renders
// workspace content (task names, log lines), so its messages are data, never a capability: the check
// is by real path, so a link inside a folder cannot lead out of it.
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * The file behind a `file:` URI when it exists and its real path is inside one of `folders`
 * (compared with their real paths); otherwise why not, for the log.
 */
export async function fileInsideFolders(
  uri: string,
  folders: readonly string[],
): Promise<{ file: string } | { refused: string }> {
  let file: string;
  try {
    if (!uri.startsWith('file:')) return { refused: 'not a file URI' };
    file = fileURLToPath(uri);
  } catch {
    return { refused: 'not a valid file URI' };
  }
  let real: string;
  try {
    real = await realpath(file);
  } catch {
    return { refused: 'no such file' };
  }
  for (const folder of folders) {
    const realFolder = await realpath(folder).catch(() => undefined);
    if (realFolder !== undefined && isInside(real, realFolder)) return { file };
  }
  return { refused: 'outside the workspace folders' };
}
