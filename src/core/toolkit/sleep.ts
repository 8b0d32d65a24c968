import { setTimeout as delay } from 'node:timers/promises';

/**
 * Waits `ms` milliseconds; with a `signal`, stops waiting when it aborts and rejects with its
 * reason (not the timer's `AbortError`), the timer and the listener gone. It listens on a signal
 * derived from `signal`, which adds no listener to it: many waits on one caller's signal (every
 * retry of a sync) stay clear of Node's MaxListenersExceededWarning.
 */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (!signal) return delay(ms);
  signal.throwIfAborted();
  try {
    await delay(ms, undefined, { signal: AbortSignal.any([signal]) });
  } catch (error) {
    signal.throwIfAborted();
    throw error;
  }
}
