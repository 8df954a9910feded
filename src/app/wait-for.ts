import { PasserelleError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import type { Readiness } from '../observability/readiness.ts';

/** Start-up gave up on a dependency: `serve` exits 69 (EX_UNAVAILABLE) so a supervisor sees it. */
export class DependencyTimeout extends Error {
  constructor(
    readonly dependency: string,
    cause: unknown,
  ) {
    super(`${dependency} still unreachable when startup.waitSeconds ran out: ${messageOf(cause)}`);
    this.name = 'DependencyTimeout';
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Configuration and PKI problems do not heal by waiting; unreachable servers may (503s and driver errors). */
function worthRetrying(error: unknown): boolean {
  return !(error instanceof PasserelleError) || error.status === 503;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Opens a dependency (the database, Redis) at start, retrying with capped exponential back-off
 * while /readyz says what is awaited; logs each failure. Throws `DependencyTimeout` at
 * `deadline` (epoch ms; Infinity: never), or the error itself when waiting cannot help.
 */
export async function waitFor<T>(dependency: string, open: () => Promise<T>, readiness: Readiness, deadline: number, stopped: () => boolean): Promise<T> {
  let delay = 500;
  for (let attempt = 1; ; attempt += 1) {
    readiness.setStarting(attempt === 1 ? `waiting for ${dependency}` : `${dependency}: retrying`);
    try {
      return await open();
    } catch (error) {
      if (!worthRetrying(error) || stopped()) throw error;
      const left = deadline - Date.now();
      if (left <= 0) throw new DependencyTimeout(dependency, error);
      readiness.setStarting(`${dependency} unreachable: ${messageOf(error)}`);
      logger.error('dependency unreachable at start, retrying', { dependency, attempt, error: messageOf(error), retryInMs: Math.min(delay, left) });
      await sleep(Math.min(delay, left));
      delay = Math.min(delay * 2, 10_000);
    }
  }
}
