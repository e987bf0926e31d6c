// Bundles the CLI into one file (dist/imageguard.mjs): Node resolves and loads ~150 modules otherwise, which costs
// more start-up time than rendering a small chart (issue 9). bin/imageguard prefers the bundle when it exists.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/imageguard.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  // CommonJS dependencies (ajv, commander, yaml) call require() for Node built-ins.
  banner: { js: "import { createRequire as __igCreateRequire } from 'node:module'; const require = __igCreateRequire(import.meta.url);" },
});
