/**
 * A group of concurrent tasks that may add more tasks while they run. The first failure aborts
 * the group's signal (so requests still in flight stop) and is what `idle()` rejects with, once
 * every task has settled: nothing keeps running after the sync has failed. The signal's reason
 * is an `AbortError`, not the failure itself: a task stopped by it must not read the failure as
 * its own (a 404 of one listing is not a 404 of every listing in flight).
 */
export interface TaskGroup {
  readonly signal: AbortSignal;
  run(task: () => Promise<void>): void;
  /** Resolves when no task is running; rejects with the first failure. */
  idle(): Promise<void>;
}

export function createTaskGroup(parent?: AbortSignal): TaskGroup {
  const controller = new AbortController();
  const signal = parent ? AbortSignal.any([parent, controller.signal]) : controller.signal;
  let running = 0;
  let failure: { error: unknown } | undefined;
  let waiters: { resolve(): void; reject(error: unknown): void }[] = [];

  const settle = () => {
    if (running > 0) return;
    const current = waiters;
    waiters = [];
    for (const waiter of current) {
      if (failure) waiter.reject(failure.error);
      else if (parent?.aborted) waiter.reject(parent.reason);
      else waiter.resolve();
    }
  };

  return {
    signal,
    run(task) {
      if (failure || signal.aborted) return;
      running++;
      void (async () => {
        try {
          await task();
        } catch (error) {
          if (!failure && !(controller.signal.aborted && isAbort(error))) {
            failure = { error };
            controller.abort(
              new DOMException('stopped: another part of the sync failed', 'AbortError'),
            );
          }
        } finally {
          running--;
          settle();
        }
      })();
    },
    idle() {
      return new Promise<void>((resolve, reject) => {
        waiters.push({ resolve, reject });
        settle();
      });
    },
  };
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'CanceledError');
}
