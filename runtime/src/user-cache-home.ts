// The user's cache folder: where plumb keeps what it can always make again (transpiled pipelines,
// the CLI's compiled code), never inside a project.
import os from 'node:os';
import path from 'node:path';

/** $XDG_CACHE_HOME, else the platform's per-user cache folder. */
export function userCacheHome(): string {
  if (process.env.XDG_CACHE_HOME && path.isAbsolute(process.env.XDG_CACHE_HOME))
    return process.env.XDG_CACHE_HOME;
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches');
  if (process.platform === 'win32' && process.env.LOCALAPPDATA) return process.env.LOCALAPPDATA;
  return path.join(os.homedir(), '.cache');
}
