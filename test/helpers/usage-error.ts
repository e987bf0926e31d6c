import { expect } from 'vitest';
import { UsageError } from '../../src/errors.js';

/** The UsageError `run` throws; fails the test when it throws something else or nothing. */
export function usageError(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError, nothing was thrown');
}
