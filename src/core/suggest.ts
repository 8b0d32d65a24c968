/**
 * "Did you mean …?" for misspelled names (flags, option keys): the nearest known name by edit
 * distance (leven), when it is near enough to be a likely typo.
 */
import { closestMatch } from 'leven';

/**
 * The candidate `name` most likely misspells, or undefined. Names compare without case and
 * separators (`pageType`, `page_type`, `page-type` are the same word); within a third of the
 * name's length, but 2 edits at least (a swapped pair of letters is 2) and 3 at most.
 */
export function nearest(name: string, candidates: readonly string[]): string | undefined {
  const word = (text: string) => text.toLowerCase().replace(/[-_]/g, '');
  const byWord = new Map(candidates.map((candidate) => [word(candidate), candidate]));
  const target = word(name);
  const maxDistance = Math.min(3, Math.max(2, Math.floor(target.length / 3)));
  const match = closestMatch(target, [...byWord.keys()], { maxDistance });
  return match === undefined ? undefined : byWord.get(match);
}

/** `; did you mean \`X\`?` for a message, or `''`. */
export function didYouMean(name: string, candidates: readonly string[]): string {
  const match = nearest(name, candidates);
  return match === undefined ? '' : `; did you mean \`${match}\`?`;
}
