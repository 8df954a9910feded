import type { Runtime } from '../runtime.ts';
import { logger } from '../shared/logger.ts';
import { sendRenewalNotices } from './renewal.ts';

export interface RenewalNoticeJob {
  /** Runs one pass now (also what the timer does); resolves with the number of notices queued. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Runs sendRenewalNotices at start and then every `intervalMs` (default 6 hours). Safe on several
 * replicas at once: each notice is claimed in its own transaction. The timer does not keep the process up.
 */
export function startRenewalNotices(runtime: Runtime, intervalMs = 6 * 3_600_000): RenewalNoticeJob {
  let running: Promise<number> | null = null;
  const runOnce = (): Promise<number> => {
    running ??= sendRenewalNotices(runtime)
      .then((count) => {
        if (count > 0) logger.info('renewal notices queued', { count });
        return count;
      })
      .catch((error: unknown) => {
        logger.error('renewal notices failed', { error: error instanceof Error ? error.message : String(error) });
        return 0;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => void runOnce(), intervalMs);
  timer.unref();
  void runOnce();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
