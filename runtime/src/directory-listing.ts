// One listing of a directory that answers existence for many of its entries as existsSync would:
// an all-complete rerun of 100,000 outputs in one folder is one listing, not 100,000 calls.
import { existsSync, opendirSync } from 'node:fs';
import path from 'node:path';

/**
 * A path this long or longer is asked with existsSync: past PATH_MAX (4,096 bytes, and a UTF-16
 * unit is at most 3 of them) existsSync says false for a file the listing holds.
 */
const LONGEST_LISTED = 1365;

/** A folder's listing, and how many entries were read to make it (or to give up). */
export interface Listing {
  names: Set<string> | undefined;
  entries: number;
}

/**
 * The names in `dir` that existsSync would say exist: regular files and directories. Not links
 * (existsSync follows them: a dangling one does not exist) nor entries of unknown type: those
 * are left to the caller's existsSync, as is every name not in the set. Empty when `dir` does
 * not exist; undefined when it holds more than `budget` entries (asking each path costs less),
 * cannot be read, or cannot be searched (a listing readable without search permission names
 * files existsSync cannot reach: one existsSync of a listed file proves the way is open).
 */
export function listFolder(dir: string, budget: number): Listing {
  const names = new Set<string>();
  let seen = 0;
  try {
    // Entries in batches of 1,024: fewer trips than readdirSync's array of Dirents, and the
    // budget can stop early in a folder full of other files.
    const handle = opendirSync(dir, { bufferSize: 1024 });
    try {
      for (let entry = handle.readSync(); entry !== null; entry = handle.readSync()) {
        if (++seen > budget) return { names: undefined, entries: seen };
        if (entry.isFile() || entry.isDirectory()) names.add(entry.name);
      }
    } finally {
      handle.closeSync();
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { names: code === 'ENOENT' || code === 'ENOTDIR' ? names : undefined, entries: seen };
  }
  for (const name of names)
    return { names: existsSync(path.join(dir, name)) ? names : undefined, entries: seen };
  return { names, entries: seen };
}

/**
 * Whether `file` exists, from its directory's listing (`names`; its name starts at `nameFrom`)
 * when the listing holds it, otherwise as existsSync says: a name missing from the listing is
 * asked again, so a file made since, or spelled differently on a case-insensitive disk, counts.
 */
export function existsIn(names: Set<string> | undefined, file: string, nameFrom: number): boolean {
  if (names !== undefined && file.length < LONGEST_LISTED && names.has(file.slice(nameFrom))) return true;
  return existsSync(file);
}
