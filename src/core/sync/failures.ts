/**
 * How crawl failures are told: a 404 for a configured page type or collection, a 400 for a
 * locale, in terms of the options that caused them.
 */
import { ButterError } from '../errors.ts';

export type ListingKind = 'pageType' | 'collection';

export function isNotFound(error: unknown): boolean {
  return error instanceof ButterError && error.code === 'NOT_FOUND';
}

/** A 400 about the locale parameter, said in terms of the `locales` option. */
export function localeProblem(error: unknown, locale: string | null): unknown {
  if (locale === null || !(error instanceof ButterError) || error.code !== 'BAD_REQUEST') {
    return error;
  }
  const detail = (error as { detail?: unknown }).detail;
  const text = typeof detail === 'string' ? detail : error.message;
  if (!/locale/i.test(text)) return error;
  return new ButterError(`the API rejected locale \`${locale}\`: ${text}`, {
    code: 'BAD_REQUEST',
    hint: 'Check `locales` (--locales) against ButterCMS → Settings → Localization, default locale first; leave it empty for an account without localization.',
    cause: error,
  });
}

export function unknownListing(kind: ListingKind, name: string, cause: unknown): ButterError {
  return kind === 'pageType'
    ? new ButterError(
        `unknown page type \`${name}\`: check the slug in ButterCMS → Page Types (the API answers 404 for /pages/${name}/)`,
        {
          code: 'NOT_FOUND',
          hint: `Fix or remove \`${name}\` in \`pageTypes\` (--page-types).`,
          cause,
        },
      )
    : new ButterError(
        `unknown collection \`${name}\`: check the key in ButterCMS → Collections (the API answers 404 for /content/${name}/)`,
        {
          code: 'NOT_FOUND',
          hint: `Fix or remove \`${name}\` in \`collections\` (--collections).`,
          cause,
        },
      );
}
