// Writes the two entry files of plumb-pipelines' exports map (runtime/dist/entry.cjs, entry.mjs)
// beside the library bundle: `npm run build` and `npm pack` both make them, so the repository's own
// code that resolves the package (tests under tsx, the server's analysis) finds them on a fresh clone.
import { renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The key under which the first runtime instance loaded in a process is shared. */
export const INSTANCE_KEY = 'plumb-pipelines.runtime';

// The CLI bundles its own copy of the runtime and registers it under INSTANCE_KEY before it loads
// a pipeline; whatever then imports the package (a CommonJS require the loader does not intercept,
// an ES module import) gets that same instance, so `instanceof Task` and task ids agree. Outside
// the CLI the first load registers dist/index.js.
export function writeRuntimeEntries(dist) {
  const require = createRequire(import.meta.url);
  const index = path.join(dist, 'index.js');
  delete require.cache[index];
  const names = Object.keys(require(index)).sort();
  const key = JSON.stringify(INSTANCE_KEY);
  write(
    path.join(dist, 'entry.cjs'),
    `'use strict';\n// The CommonJS entry of plumb-pipelines: one runtime instance per process.\n` +
      `const key = Symbol.for(${key});\n` +
      `module.exports = globalThis[key] ?? (globalThis[key] = require('./index.js'));\n`,
  );
  write(
    path.join(dist, 'entry.mjs'),
    `// The ES module entry of plumb-pipelines: the CommonJS instance's exports, by name.\n` +
      `import runtime from './entry.cjs';\n` +
      `export const { ${names.join(', ')} } = runtime;\n` +
      `export default runtime;\n`,
  );
  return names.length;
}

// Written beside and renamed: a process loading the package meanwhile never reads half a file.
function write(file, text) {
  writeFileSync(`${file}.${process.pid}.tmp`, text);
  renameSync(`${file}.${process.pid}.tmp`, file);
}
