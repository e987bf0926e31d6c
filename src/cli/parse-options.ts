import { InvalidArgumentError } from 'commander';
import { ONE_STAR } from '../config/validate.js';

/** `90`, `90s`, `5m`, `1m30s` (helm's duration style) -> milliseconds. */
export function parseDuration(value: string): number {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s?)?$/.exec(value.trim());
  if (!match || value.trim() === '') throw new InvalidArgumentError(`"${value}" is not a duration (e.g. 90s, 5m)`);
  const [, h = '0', m = '0', s = '0'] = match;
  const ms = ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000;
  if (ms <= 0) throw new InvalidArgumentError('the timeout must be more than 0s');
  return ms;
}

export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function parsePositiveInt(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError(`"${value}" is not a positive whole number`);
  return number;
}

/** `--mutable-tag`: repeatable, and held to the config file's rule of one `*` per glob. */
export function collectMutableTag(value: string, previous: string[] | undefined): string[] {
  if (value === '') throw new InvalidArgumentError('a mutable tag cannot be empty');
  if (value.split('*').length > 2) throw new InvalidArgumentError(ONE_STAR);
  return collect(value, previous);
}
