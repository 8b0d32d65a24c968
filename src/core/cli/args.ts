/**
 * `butter-sync` arguments → a command and the `Options` its flags set (node:util parseArgs, over
 * the flag table in `flags.ts`).
 * Bad usage throws an `OptionsError` naming the flag; exit code 2.
 */
import { parseArgs } from 'node:util';
import { OptionsError } from '../errors.ts';
import type { Options } from '../options.ts';
import { didYouMean } from '../suggest.ts';
import { FLAG_NAMES, integer, optionsOf, PARSE_CONFIG } from './flags.ts';

export type Command = 'sync' | 'types' | 'help' | 'version' | 'cache-key';

export interface CliArgs {
  command: Command;
  /** Options set by flags only (undefined where no flag was given). */
  options: Options;
  config: string | undefined;
  json: boolean;
  quiet: boolean;
  /** `--verbose`: debug lines too (each retry: which request, why, the delay). */
  verbose: boolean | undefined;
  /** `--watch`: after the sync, keep the snapshot fresh until SIGINT/SIGTERM. */
  watch: boolean;
  /** `--webhook-port`: serve the webhook endpoint on 127.0.0.1 (0: any free port). */
  webhookPort: number | undefined;
}

export const COMMANDS: readonly Command[] = ['sync', 'types'];

const HELP_HINT = 'Run `butter-sync --help` for every option.';

/**
 * Flags that do not exist, or misused, in words of our own (node's parseArgs messages speak
 * of positional arguments): the nearest flag for a typo, what a flag expects.
 */
function checkFlags(argv: readonly string[]): void {
  const { tokens } = parseArgs({
    args: [...argv],
    options: PARSE_CONFIG,
    strict: false,
    tokens: true,
  });
  const known = FLAG_NAMES.map((name) => `--${name}`);
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const flag = token.rawName;
    const spec = (PARSE_CONFIG as Record<string, { type: 'string' | 'boolean' }>)[token.name];
    if (spec === undefined) {
      const problem = `unknown option \`${flag}\`${didYouMean(flag, known)}`;
      throw new OptionsError(flag, problem, HELP_HINT, problem);
    }
    if (spec.type === 'string' && token.value === undefined) {
      throw new OptionsError(flag, 'expects a value', HELP_HINT);
    }
    if (spec.type === 'string' && !token.inlineValue && token.value?.startsWith('-')) {
      throw new OptionsError(
        flag,
        `expects a value, got the option-like "${token.value}" (write ${flag}=${token.value} if you mean it)`,
        HELP_HINT,
      );
    }
    if (spec.type === 'boolean' && token.inlineValue) {
      throw new OptionsError(
        flag,
        `is a switch and takes no value (got "${token.value}")`,
        HELP_HINT,
      );
    }
  }
}

export function parseCliArgs(argv: readonly string[], cwd: string): CliArgs {
  checkFlags(argv);
  const parsed = parseArgs({
    args: [...argv],
    options: PARSE_CONFIG,
    allowPositionals: true,
    strict: true,
  });
  const v = parsed.values;
  const [first, ...rest] = parsed.positionals;
  if (rest.length > 0) {
    throw new OptionsError('arguments', `unexpected argument ${JSON.stringify(rest[0])}`);
  }
  let command: Command = 'sync';
  if (first !== undefined) {
    if (!(COMMANDS as readonly string[]).includes(first)) {
      throw new OptionsError(
        'command',
        `unknown command ${JSON.stringify(first)} (commands: ${COMMANDS.join(', ')})${didYouMean(first, COMMANDS)}`,
        HELP_HINT,
      );
    }
    command = first as Command;
  }
  if (v.help) command = 'help';
  else if (v.version) command = 'version';
  else if (v['print-cache-key']) command = 'cache-key';
  if (!v.watch && (v['poll-interval'] !== undefined || v['webhook-port'] !== undefined)) {
    const flag = v['poll-interval'] !== undefined ? '--poll-interval' : '--webhook-port';
    throw new OptionsError(flag, 'only makes sense with --watch');
  }
  if (command === 'types' && v.watch) {
    throw new OptionsError('--watch', 'works with the sync command only');
  }
  const webhookPort =
    v['webhook-port'] === undefined
      ? undefined
      : (integer(v['webhook-port'], '--webhook-port', cwd) as number);
  if (webhookPort !== undefined && webhookPort > 65535) {
    throw new OptionsError('--webhook-port', `expected a port number, got ${webhookPort}`);
  }
  if (v['no-types'] && v.types !== undefined) {
    throw new OptionsError('--types', 'cannot be combined with --no-types');
  }
  return {
    command,
    options: optionsOf(v, cwd),
    config: v.config,
    json: v.json ?? false,
    quiet: v.quiet ?? false,
    verbose: v.verbose,
    watch: v.watch ?? false,
    webhookPort,
  };
}
