// Bundles the CLI into one CommonJS file (dist/imageguard.cjs): Node resolves and loads ~150 modules otherwise,
// which costs more start-up time than rendering a small chart (issue 9). CommonJS, so that each command's modules,
// imported on use (src/cli/program.ts), evaluate (and require Node's http, tls, child_process) only when that command
// runs, and so that bin/cli-loader.mjs can give V8 a code cache. Then writes that cache (scripts/code-cache.mjs).
import { build } from 'esbuild';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
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
  logLevel: 'warning',
  // The cache written for this bundle carries the same id (bin/cli-loader.mjs).
  banner: { js: `// imageguard build ${randomBytes(8).toString('hex')}\nconst __igImportMetaUrl = require('node:url').pathToFileURL(__filename).href;` },
  // import.meta has no meaning in CommonJS; the sources use it only for their own file's URL.
  define: { 'import.meta.url': '__igImportMetaUrl' },
});
execFileSync(process.execPath, ['scripts/code-cache.mjs'], { cwd: root, stdio: 'inherit' });
