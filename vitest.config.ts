import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: helm processes dominate; more workers only contend.
    maxWorkers: 2,
    // validate's compiled-schema cache: under node_modules/.cache during tests, never the user's ~/.cache.
    env: { IMAGEGUARD_CACHE_DIR: fileURLToPath(new URL('node_modules/.cache/imageguard-test', import.meta.url)) },
  },
});
