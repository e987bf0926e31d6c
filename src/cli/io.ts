import { readFileSync } from 'node:fs';
import { decodeText } from '../io/text.js';

/** What a command may touch of the outside world; main.ts wires the real process, tests may wire buffers. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): string;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function processIo(): Io {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: () => decodeText(readFileSync(0), '<stdin>'),
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Colour only on a terminal, never with NO_COLOR set (https://no-color.org) or --no-color. */
export function useColor(io: Io, toStdout: boolean, flag: boolean): boolean {
  if (!flag || (io.env.NO_COLOR ?? '') !== '') return false;
  return toStdout ? io.stdoutIsTTY : io.stderrIsTTY;
}
