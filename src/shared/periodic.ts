import { logger } from './logger.ts';

export interface PeriodicJob {
  /** Runs one pass now (also what the timer does); resolves with the number of items handled. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Runs `run` at start and then every `intervalMs`, never two passes at once in this process.
 * Jobs must be safe on several replicas (each item claimed in its own transaction). The timer
 * does not keep the process up.
 */
export function startPeriodicJob(name: string, run: () => Promise<number>, intervalMs: number): PeriodicJob {
  let running: Promise<number> | null = null;
  const runOnce = (): Promise<number> => {
    running ??= run()
      .then((count) => {
        if (count > 0) logger.info(`${name}: ${count} queued`, { job: name, count });
        return count;
      })
      .catch((error: unknown) => {
        logger.error(`${name} failed`, { job: name, error: error instanceof Error ? error.message : String(error) });
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
