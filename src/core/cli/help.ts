/** `butter-sync --help` (the options part from the flag table). */
import { flagsHelp } from './flags.ts';

export const HELP = `butter-sync — turn a ButterCMS account into a local, typed snapshot

Usage
  butter-sync [sync] [options]   crawl the account and write the snapshot (default)
  butter-sync types [options]    regenerate the types from the snapshot (no network)
  butter-sync --watch [options]  sync, then keep the snapshot fresh (no bundler needed)

Options (flags win over butter.config.* and the environment)
${flagsHelp()}
Exit codes
  0  success (or, with --offline fallback or --max-age, the existing snapshot kept)
  1  the sync failed (the message says what state the snapshot and types are in)
  2  bad usage or configuration
`;
