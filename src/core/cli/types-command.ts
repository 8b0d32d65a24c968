/**
 * `butter-sync types`: regenerate the declarations from the snapshot on disk, without the
 * network. The generator lives in `src/core/codegen`; until it is part of the build the command
 * says so and fails.
 */
import { ButterError } from '../errors.ts';
import type { Options } from '../options.ts';

export interface TypesReport {
  message: string;
  [key: string]: unknown;
}

export async function runTypesCommand(
  _options: Options,
  _env: Record<string, string | undefined>,
): Promise<TypesReport> {
  throw new ButterError('`butter-sync types` is not available in this build yet', {
    code: 'TYPES',
    hint: 'Run `butter-sync` to sync; type generation will follow in a later version.',
  });
}
