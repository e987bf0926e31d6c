// `npm run example`: fetch the pinned test helm if needed, then lint the bundled demo chart.
// The demo has findings on purpose, so lint exits 1; this script says so and exits 0.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
execFileSync(process.execPath, ['scripts/fetch-test-helm.mjs'], { cwd: root, stdio: 'inherit' });
const args = ['bin/imageguard', 'lint', 'examples/demo', ...process.argv.slice(2)];
process.stderr.write(`$ ${args.join(' ')}\n`);
const { status } = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
process.stderr.write(
  status === 1
    ? '\nexit code 1: the demo chart has findings, as intended. Try: ./bin/imageguard lint examples/demo --set image.tag=1.27.3 --set migrate.image=busybox:1.37.0\n'
    : `\nexit code ${status}\n`,
);
process.exitCode = status === 1 ? 0 : (status ?? 1);
