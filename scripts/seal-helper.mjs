#!/usr/bin/env node
// After editing templates-lib/_imageguard.tpl: recompute its marker checksum and copy it into the library chart.
// test/unit/inject-helper-files.test.ts fails until this has been run.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const lib = join(dirname(fileURLToPath(import.meta.url)), '..', 'templates-lib');
const file = join(lib, '_imageguard.tpl');
const text = readFileSync(file, 'utf8');
const newline = text.indexOf('\n') + 1;
const body = text.slice(newline);
const sum = createHash('sha256').update(body, 'utf8').digest('hex');
const sealed = text.slice(0, newline).replace(/sha256:[0-9a-f]{64}/, `sha256:${sum}`) + body;
writeFileSync(file, sealed);
writeFileSync(join(lib, 'imageguard-lib', 'templates', '_imageguard.tpl'), sealed);
process.stdout.write(`sealed ${file} (sha256:${sum}) and copied it into imageguard-lib\n`);
