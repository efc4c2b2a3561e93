// One listing of a directory that answers existence for many of its entries as existsSync would:
// an all-complete rerun of 100,000 outputs in one folder is one listing, not 100,000 calls.
import { type Dirent, existsSync, opendirSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * A path this long or longer is asked with existsSync: past PATH_MAX (4,096 bytes, and a UTF-16
 * unit is at most 3 of them) existsSync says false for a file the listing holds.
 */
const LONGEST_LISTED = 1365;

/** A folder's listing, and how many entries were read to make it (or to give up). */
export interface Listing {
  names: Set<string> | undefined;
  /** Its other entries (links, unknown types), in a whole listing: only existsSync answers for them. */
  others?: Set<string>;
  entries: number;
}

/**
 * The names in `dir` that existsSync would say exist: regular files and directories. Not links
 * (existsSync follows them: a dangling one does not exist) nor entries of unknown type: those
 * are left to the caller's existsSync, as is every name not in the set. Empty when `dir` does
 * not exist; undefined when it holds more than `budget` entries (asking each path costs less),
 * cannot be read, or cannot be searched (see searchable()).
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
    return { names: notThere(e) ? names : undefined, entries: seen };
  }
  return { names: searchable(dir, names) ? names : undefined, entries: seen };
}

/**
 * listFolder() without a budget, and with the other entries' names kept (for existsInWhole): in
 * one call, as a range's folders are often small (4 files: readdirSync ~20–50 µs, an opendir
 * handle ~60–270 µs, measured).
 */
export function listWholeFolder(dir: string): Listing {
  const names = new Set<string>();
  const others = new Set<string>();
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    return notThere(e) ? { names, others, entries: 0 } : { names: undefined, entries: 0 };
  }
  for (const entry of entries)
    if (entry.isFile() || entry.isDirectory()) names.add(entry.name);
    else others.add(entry.name);
  return searchable(dir, names)
    ? { names, others, entries: entries.length }
    : { names: undefined, entries: entries.length };
}

/** A folder that does not exist (or is a file) holds nothing; other errors leave it unknown. */
function notThere(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * A listing readable without search permission names files existsSync cannot reach: one
 * existsSync of a listed file proves the way is open (`dir` ends with its separator).
 */
function searchable(dir: string, names: Set<string>): boolean {
  for (const name of names) return existsSync(path.join(dir, name));
  return true;
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

/**
 * Whether `file` (named `name` in its folder) exists, from the folder's whole listing
 * (listWholeFolder), where a name the listing lacks is missing: the file was not there
 * when listed (answering false never says more than LocalTarget.exists(); a range check counts a
 * file made since at its next check). Files and folders it holds exist; its other entries (links,
 * unknown types) and paths too long for existsSync are asked.
 */
export function existsInWhole(listing: Listing, file: string, name: string): boolean {
  if (listing.names === undefined || listing.others === undefined || file.length >= LONGEST_LISTED)
    return existsSync(file);
  if (listing.names.has(name)) return true;
  return listing.others.size > 0 && listing.others.has(name) && existsSync(file);
}
