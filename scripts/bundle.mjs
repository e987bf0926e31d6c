// Bundles the CLI into one CommonJS file (dist/imageguard.cjs): Node resolves and loads ~150 modules otherwise,
// which costs more start-up time than rendering a small chart (issue 9). CommonJS, so that each command's modules,
// imported on use (src/cli/program.ts), evaluate (and require Node's http, tls, child_process) only when that command
// runs, and so that bin/cli-loader.mjs can give V8 a code cache. Then writes that cache (scripts/code-cache.mjs).
import { build } from 'esbuild';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

// commander requires node:child_process at load (3-5 ms of Node's start-up), for executable subcommands only, which
// imageguard does not have: require it on first spawn instead. Fails the build if commander's line changes.
const lazyChildProcess = {
  name: 'commander-lazy-child-process',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const eager = "const childProcess = require('node:child_process');";
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes(eager)) throw new Error(`${args.path}: commander no longer has "${eager}"; update scripts/bundle.mjs`);
      const lazy = "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };";
      return { contents: source.replace(eager, lazy), loader: 'js' };
    });
  },
};
rmSync(`${root}/dist/imageguard.mjs`, { force: true }); // the ESM bundle of earlier builds
rmSync(`${root}/dist/imageguard.mjs.map`, { force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/imageguard.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  // Half the bytes for Node to read and V8 to hash at every start (~10 ms); keepNames keeps --debug stack traces
  // readable by function name (vm.Script code gets no source-map support in Node 20).
  minify: true,
  keepNames: true,
  logLevel: 'warning',
  // The cache written for this bundle carries the same id (bin/cli-loader.mjs).
  banner: { js: `// imageguard build ${randomBytes(8).toString('hex')}\nconst __igImportMetaUrl = require('node:url').pathToFileURL(__filename).href;` },
  // import.meta has no meaning in CommonJS; the sources use it only for their own file's URL.
  define: { 'import.meta.url': '__igImportMetaUrl' },
  plugins: [lazyChildProcess],
});
execFileSync(process.execPath, ['scripts/code-cache.mjs'], { cwd: root, stdio: 'inherit' });
