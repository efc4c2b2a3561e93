// How far a long npm install into the e2e cache got, for `npm start`'s and `npm run e2e:setup`'s
// progress lines: packages unpacked so far, and which native modules are compiling right now.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';

/** How far an install got: packages under its node_modules folders (cheap: two directory reads). */
export function installedPackages(dir) {
  const count = (modules) => {
    try {
      return readdirSync(modules).reduce(
        (n, name) => n + (name.startsWith('@') ? readdirSync(path.join(modules, name)).length : 1),
        0,
      );
    } catch {
      return 0;
    }
  };
  const top = path.join(dir, 'node_modules');
  return count(top) + count(path.join(top, 'code-server', 'lib', 'vscode', 'node_modules'));
}

/**
 * The native modules being compiled under `dir` right now (code-server builds about 8, minutes
 * each on a busy machine, while the package count stands still): the packages whose folder a
 * node-gyp process works in, read from /proc (empty where there is no /proc).
 */
export function nativeBuilds(dir) {
  const building = new Set();
  let pids;
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
  for (const pid of pids) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('node-gyp')) continue;
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (!cwd.startsWith(`${dir}/`)) continue;
      const at = cwd.lastIndexOf('/node_modules/');
      if (at >= 0) building.add(cwd.slice(at + '/node_modules/'.length));
    } catch {
      // exited while being read, or another user's process
    }
  }
  return [...building].sort();
}
