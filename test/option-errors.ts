import { OptionsError } from '../src/core/errors.ts';

/** An environment with a token, so option tests fail only on what they test. */
export const tokenEnv = { BUTTERCMS_API_TOKEN: 'env-token-1234' };

/** The field an `OptionsError` thrown by `fn` names, or undefined when `fn` does not throw. */
export function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof OptionsError) return error.field;
    throw error;
  }
  return undefined;
}
