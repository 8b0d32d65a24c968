export { ButterError, type ButterErrorCode, OptionsError } from './core/errors.ts';
export {
  DEFAULT_API_URL,
  DEFAULT_MEDIA_HOSTS,
  type Levels,
  type Options,
  type ResolvedOptions,
  resolveOptions,
} from './core/options.ts';
