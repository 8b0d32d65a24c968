/** `butter-sync --help`. */
export const HELP = `butter-sync — turn a ButterCMS account into a local, typed snapshot

Usage
  butter-sync [sync] [options]   crawl the account and write the snapshot (default)
  butter-sync types [options]    regenerate the types from the snapshot (no network)
  butter-sync --watch [options]  sync, then keep the snapshot fresh (no bundler needed)

Options (flags win over butter.config.* and the environment)
  --token <token>          read API token            (env BUTTERCMS_API_TOKEN)
  --api-url <url>          Read API base URL         (env BUTTERCMS_API_URL; default https://api.buttercms.com/v2)
  -o, --out <dir>          snapshot folder           (default .buttercms, .buttercms-preview with --preview)
  --levels <1-5>           reference depth the local reader serves (default 2)
  --locales <a,b>          locales to sync, default first (default: the account's default locale)
  --page-types <a,b>       page type slugs to sync (referenced ones are discovered too)
  --collections <a,b>      collection keys to sync (referenced ones are discovered too)
  --preview                sync drafts and scheduled content (preview=1)
  --concurrency <n>        most API requests in flight (default 8)
  --page-size <n>          items per listing request (default 100)
  --timeout <ms>           per-request timeout (default 30000)
  --retries <n>            retries per request (default 4)
  --max-response-bytes <size>  largest API answer accepted, as sent and decompressed
                           (bytes, or 64MB, 100MiB …; default 64MiB)
  --no-media               keep remote media URLs, download nothing
  --media-dir <dir>        folder for downloaded media (default <out>/media)
  --media-base <url>       public URL prefix of the media folder (default /buttercms/)
  --media-hosts <a,b>      hosts media may be downloaded from
  --types <file>           generated declarations file (default buttercms.d.ts)
  --no-types               skip type generation
  --closed-enums           type dropdown values as closed unions (default: open unions)
  --strict                 treat warnings (media, breaking type changes) as failures
  --offline <policy>       when the API cannot be reached: fallback (keep the existing
                           snapshot, warn with its age; the default) or error (fail)
  --max-age <time>         reuse a snapshot younger than this instead of syncing: ms, 30s, 10m, 2h
                           (default 0: always sync)
  -w, --watch              after the sync, keep the snapshot fresh until Ctrl-C / SIGTERM:
                           poll for changes, re-sync only what changed, one line per refresh
  --poll-interval <time>   how often --watch checks for changes: ms, 30s, 5m, or off (default 60s)
  --webhook-port <n>       with --watch, serve POST /__buttercms/webhook on 127.0.0.1:<n>
                           (secret: env BUTTERCMS_WEBHOOK_SECRET or config webhookSecret,
                           else a random one, printed)
  -c, --config <file>      config file (default: butter.config.{ts,mts,js,mjs,json} from here upwards)
  --json                   print the result as one JSON object (last line of stdout)
  -q, --quiet              print warnings and errors only
  --verbose                print debug lines too: each retry (request, why, delay); env
                           DEBUG=unplugin-buttercms does the same for the build plugins
  -h, --help               show this help
  -v, --version            show the version

Exit codes
  0  success (or, with --offline fallback or --max-age, the existing snapshot kept)
  1  the sync failed (the message says what state the snapshot and types are in)
  2  bad usage or configuration
`;
