// `plumb` starts here: it runs the CLI bundle beside it (cli-main.js) from a V8 code cache, so a
// start compiles the bundle in ~13–16 ms of CPU instead of ~35–40 (the 470 KB bundle, measured).
//
// Node 20 has no module.enableCompileCache; vm.Script's cachedData does the same. The cache lives
// in the user's cache folder (user-cache-home.ts), never in a project: per bundle, one file for
// `plumb run` and one for every other command, named from the bundle's path, size, times (modified,
// changed) and inode and V8's version, so a rebuilt or reinstalled bundle never meets the code of
// the one before; V8 itself refuses data made for another source length, version or flags. Nothing
// here may stop a run: a cache that is missing, corrupt, stale or cannot be written only makes that
// start compile as before, and write the cache again at its exit (with every function the start
// compiled). PLUMB_NO_CODE_CACHE=1 turns it off; NODE_DEBUG=plumb says what each start did.
import './cli-heap'; // V8 checks its flags against the cache's: set them as the bundle does, first
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import { debuglog } from 'node:util';
import vm from 'node:vm';
import { userCacheHome } from './user-cache-home';

interface ModuleInternals {
  wrap(code: string): string;
  _nodeModulePaths(dir: string): string[];
  _cache: Record<string, unknown>;
}
interface LoadingModule {
  exports: unknown;
  filename: string;
  paths: string[];
  loaded: boolean;
  _compile(code: string, filename: string): unknown;
}

const main = path.join(__dirname, 'cli-main.js');
const debug = debuglog('plumb');
/** Cache files kept for other bundles (other installs, builds); each is 0.2–0.4 MB. */
const KEEP = 16;

/** 32-bit FNV-1a, base 36: names a cache file (V8 checks the data itself). */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

/**
 * The cache file for this bundle as it is on disk now, and the prefix every file of this version
 * shares. `plumb run` has a file of its own: a cache holds what its writer compiled, and one written
 * by `--version` or `list` would leave most of a run's functions to compile at every start.
 */
function cacheFileOf(): { file: string; version: string } {
  const st = statSync(main);
  const key = hash(`${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}:${process.versions.v8}:${process.arch}`);
  const version = `${hash(main)}-${key}-`;
  const kind = process.argv[2] === 'run' ? 'run' : 'other';
  return { file: path.join(userCacheHome(), 'plumb', 'code-cache', `${version}${kind}.bin`), version };
}

/** At exit: the code this process compiled, for the next start; older versions of the bundle's go. */
function writeCache(file: string, version: string, script: vm.Script): void {
  try {
    const data = script.createCachedData();
    const dir = path.dirname(file);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, data);
    renameSync(temp, file); // a start reading meanwhile sees the old file or the new one
    debug('code cache written: %s (%d bytes)', file, data.length);
    prune(dir, version);
  } catch (e) {
    debug('code cache not written: %s', (e as Error).message);
  }
}

function prune(dir: string, version: string): void {
  const bundle = version.slice(0, version.indexOf('-') + 1);
  const others = readdirSync(dir).filter((name) => !name.startsWith(version));
  // Other versions of this bundle are stale; other bundles' files (other installs) are kept, the newest few.
  const stale = others.filter((name) => name.startsWith(bundle));
  const rest = others
    .filter((name) => !name.startsWith(bundle))
    .map((name) => ({ name, at: mtimeOf(path.join(dir, name)) }))
    .sort((a, b) => b.at - a.at)
    .slice(KEEP)
    .map((e) => e.name);
  for (const name of [...stale, ...rest]) {
    try {
      unlinkSync(path.join(dir, name));
    } catch {
      /* another start removed it first */
    }
  }
}

function mtimeOf(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function start(): void {
  let source = readFileSync(main, 'utf8');
  // A shebang is valid only at the very start of a script, and the module wrapper comes first.
  if (source.startsWith('#!')) source = `//${source.slice(2)}`;
  let cache: { file: string; version: string } | undefined;
  let cachedData: Buffer | undefined;
  if (!process.env.PLUMB_NO_CODE_CACHE) {
    try {
      cache = cacheFileOf();
      cachedData = readFileSync(cache.file);
    } catch {
      /* no cache yet (or no cache folder): compiled, then written at exit */
    }
  }
  const M = Module as unknown as ModuleInternals;
  const script = new vm.Script(M.wrap(source), {
    filename: main,
    ...(cachedData ? { cachedData } : {}),
  });
  const used = cachedData !== undefined && !script.cachedDataRejected;
  debug('code cache %s: %s', used ? 'used' : cachedData ? 'rejected' : 'absent', cache?.file ?? 'off');
  if (cache && !used) {
    const { file, version } = cache;
    process.once('exit', () => writeCache(file, version, script));
  }

  const mod = new Module(main, module) as unknown as LoadingModule;
  mod.filename = main;
  mod.paths = M._nodeModulePaths(__dirname);
  M._cache[main] = mod;
  // Frames of the bundle map to runtime/src when source maps are on (the editor starts plumb with
  // --enable-source-maps): Node registers a module's map when it compiles it, which vm.Script does
  // not, so the bundle's map comes in through a module of the same name holding only its URL.
  if (process.sourceMapsEnabled) {
    try {
      mod._compile(`//# sourceMappingURL=${path.basename(main)}.map\n`, main);
    } catch {
      /* frames stay those of the bundle */
    }
  }
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(mod.exports, mod.exports, Module.createRequire(main), mod, main, __dirname);
  mod.loaded = true;
}

start();
