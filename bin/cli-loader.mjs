// Loads the bundled CLI (dist/imageguard.cjs) with V8's code cache, which the build wrote next to it
// (scripts/code-cache.mjs). Compiling the 1.4 MB bundle costs more start-up time than helm takes to render a small
// chart; reading V8's cached bytecode instead saves most of that (issues 4 and 9). A CommonJS bundle run through
// vm.Script, because Node 20 has a code cache API for scripts only (module.enableCompileCache is Node 22).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Script } from 'node:vm';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BUNDLE = join(ROOT, 'dist', 'imageguard.cjs');
// The bundle's first line names its build; its cache carries the same id. V8 checks a cache against the source's
// length only, so a cache from another build of the same length would run the wrong bytecode without this check.
const BUILD_ID = /^\/\/ imageguard build ([0-9a-f]+)\n/;

/** The code cache file for a bundle's source, or null when the source carries no build id. */
export function cacheFileFor(source) {
  const id = BUILD_ID.exec(source)?.[1];
  return id ? join(ROOT, 'dist', `imageguard-${id}.v8cache`) : null;
}

function readCache(file) {
  try {
    return file ? readFileSync(file) : undefined;
  } catch {
    return undefined; // no cache (a build without one, or removed): compile as usual
  }
}

/** Evaluates the bundle; returns its exports ({ main, run }) and the vm.Script (for producing the cache). */
export function loadBundle({ useCache = true } = {}) {
  const source = readFileSync(BUNDLE, 'utf8');
  const cachedData = useCache ? readCache(cacheFileFor(source)) : undefined;
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new Script(wrapper, { filename: BUNDLE, cachedData });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE));
  return { exports: module.exports, script };
}

/** Runs the CLI with argv: the bundle when built, else tsc's output (dist/cli/main.js), else says how to build. */
export async function runCli(argv, name = 'imageguard') {
  if (existsSync(BUNDLE)) return loadBundle().exports.main(argv);
  const unbundled = join(ROOT, 'dist', 'cli', 'main.js');
  if (existsSync(unbundled)) return (await import(pathToFileURL(unbundled).href)).main(argv);
  process.stderr.write(`${name}: not built (no dist/ in ${ROOT}). Run "npm ci" (it builds on prepare) or "npm run build" there.\n`);
  process.exitCode = 2;
}
