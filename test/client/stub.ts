/**
 * A scripted `fetch` for the client's pure tests: each call goes to `handler` with the parsed
 * URL; it answers with a Response, or throws to simulate a network error.
 */
import { expect } from 'vitest';
import {
  ApiError,
  type ButterClient,
  type ClientOptions,
  createClient,
} from '../../src/core/client/index.ts';

export const TOKEN = 'secret-token-1234567890';

export type Handler = (url: URL, init: RequestInit | undefined) => Response | Promise<Response>;

export interface Stubbed {
  client: ButterClient;
  calls: URL[];
  sleeps: number[];
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

export function stubClient(handler: Handler, options: Partial<ClientOptions> = {}): Stubbed {
  const calls: URL[] = [];
  const sleeps: number[] = [];
  const client = createClient({
    token: TOKEN,
    apiUrl: 'https://api.example.test/v2',
    concurrency: 4,
    timeout: 5_000,
    retries: 2,
    maxRetryAfter: 60,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    now: () => Date.parse('2026-11-22T10:00:00Z'),
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(String(input));
      calls.push(url);
      return handler(url, init);
    }) as typeof fetch,
    ...options,
  });
  return { client, calls, sleeps };
}

/**
 * The `ApiError` a call rejects with; fails the test if it resolves, rejects with anything
 * else, or shows `token` in any text of the error.
 */
export async function apiFailure(promise: Promise<unknown>, token = TOKEN): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  for (const text of errorTexts(error)) expect(text).not.toContain(token);
  return error as ApiError;
}

/** Every string reachable from an error: message, stack, hint, own properties, cause chain. */
export function errorTexts(error: unknown, depth = 0): string[] {
  if (depth > 6 || error === null || error === undefined) return [];
  if (!(error instanceof Error)) return [String(error)];
  const out = [error.message, String(error.stack), String(error)];
  for (const [key, value] of Object.entries(error)) {
    if (key === 'cause') continue;
    out.push(typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));
  }
  return [...out, ...errorTexts(error.cause, depth + 1)];
}
