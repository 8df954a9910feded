import type { ChangeFeed } from '../storage/index.ts';

export interface StoreWatch {
  /** True while the last poll succeeded recently: a change made by another process cannot have gone unseen for longer than `staleAfterMs`. */
  readonly healthy: boolean;
  stop(): void;
}

export interface StoreWatchOptions {
  intervalMs?: number;
  staleAfterMs?: number;
  now?: () => number;
}

/**
 * Polls the store's change counter (bumped by every process after a write that decides access):
 * how a serving process learns of a revocation made by the CLI or another replica even without
 * Redis, within one interval. One indexed single-row read per interval.
 */
export function watchStore(feed: ChangeFeed, onChange: () => void, options: StoreWatchOptions = {}): StoreWatch {
  const intervalMs = options.intervalMs ?? 250;
  const staleAfterMs = options.staleAfterMs ?? 1000;
  const now = options.now ?? Date.now;
  let last: number | null = null;
  let lastOkAt = -Infinity;
  let running = false;
  const poll = async () => {
    if (running) return;
    running = true;
    try {
      const seq = await feed.sequence();
      if (last !== null && seq !== last) onChange();
      last = seq;
      lastOkAt = now();
    } catch {
      // Unhealthy until a poll succeeds again; the caller bypasses its caches meanwhile.
    } finally {
      running = false;
    }
  };
  // Our own write was applied locally already: when nobody else wrote in between, the poll need not re-apply it.
  const stopBumps = feed.onBump((seq) => {
    if (last !== null && seq === last + 1) last = seq;
  });
  void poll();
  const timer = setInterval(() => void poll(), intervalMs);
  timer.unref();
  return {
    get healthy() {
      return now() - lastOkAt <= staleAfterMs;
    },
    stop: () => {
      clearInterval(timer);
      stopBumps();
    },
  };
}
