// Where this machine's PostgreSQL server binaries are: Debian installs them per major version under
// /usr/lib/postgresql/<major>/bin (initdb and pg_ctl are not on PATH there); PLUMB_PG_BIN overrides.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const debianRoot = '/usr/lib/postgresql';

/** The newest installed server's bin directory, or undefined when no PostgreSQL server is installed. */
export function findPostgresBin() {
  const override = process.env.PLUMB_PG_BIN;
  if (override) return existsSync(path.join(override, 'initdb')) ? override : undefined;
  const majors = existsSync(debianRoot)
    ? readdirSync(debianRoot)
        .filter((name) => /^\d+$/.test(name))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const major of majors) {
    const bin = path.join(debianRoot, major, 'bin');
    if (existsSync(path.join(bin, 'initdb')) && existsSync(path.join(bin, 'pg_ctl'))) return bin;
  }
  return undefined;
}
