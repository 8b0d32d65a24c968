/**
 * The caller's abort signal: every request of a sync shares it, in flight or waiting to retry,
 * so none may listen on it directly (Node 22 warns past 10 listeners on one signal,
 * MaxListenersExceededWarning), and aborting it still stops them all.
 */
import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { apiFailure, stubClient } from './stub.ts';

describe("the caller's signal", () => {
  it('gets no listener from requests failing and retrying at once', async () => {
    const signal = new AbortController().signal;
    const added = vi.spyOn(signal, 'addEventListener');
    const { client, calls } = stubClient(
      () => {
        throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
      },
      { concurrency: 16, retries: 2 },
    );
    const failures = await Promise.all(
      Array.from({ length: 20 }, (_, i) => apiFailure(client.get(`/pages/p${i}/`, {}, { signal }))),
    );
    expect(failures.every((error) => error.code === 'NETWORK')).toBe(true);
    // 20 first attempts, and the 20 retries the client's retry budget holds (not 2 × 20).
    expect(calls).toHaveLength(40);
    expect(added).not.toHaveBeenCalled();
    expect(getEventListeners(signal, 'abort')).toEqual([]);
  });

  it('stops requests in flight and waiting to retry when it aborts', async () => {
    const controller = new AbortController();
    const reason = new Error('interrupted (Ctrl-C)');
    let answered = 0;
    const { client } = stubClient(
      async (url, init) => {
        if (url.pathname.endsWith('/fails/')) {
          answered++;
          throw new TypeError('fetch failed');
        }
        // Hangs until aborted.
        return new Promise((_resolve, reject) =>
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
        );
      },
      { retries: 5, sleep: () => new Promise(() => {}) },
    );
    const hanging = client.get('/hangs/', {}, { signal: controller.signal }).catch((e) => e);
    const retrying = client.get('/fails/', {}, { signal: controller.signal }).catch((e) => e);
    await vi.waitFor(() => expect(answered).toBe(1));
    controller.abort(reason);
    expect(await hanging).toBe(reason);
    expect(await retrying).toBe(reason);
  });
});
