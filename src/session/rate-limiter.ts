import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { UnavailableError } from '../shared/errors.ts';

export { RateLimiterRes };

/** A per-key counter: `consume` rejects with a `RateLimiterRes` when the limit is reached. */
export interface RateLimiter {
  consume(key: string, points?: number): Promise<RateLimiterRes>;
  reward(key: string, points?: number): Promise<RateLimiterRes>;
}

export interface RateLimitOptions {
  /** Names the counter (e.g. `login-ip`); keys of different counters never meet. */
  keyPrefix: string;
  points: number;
  /** Window, in seconds. */
  duration: number;
}

export type RateLimiterFactory = (options: RateLimitOptions) => RateLimiter;

/** In-process counters: one replica, or tests. */
export function memoryRateLimiter(options: RateLimitOptions): RateLimiter {
  return new RateLimiterMemory(options);
}

/**
 * Counters in Redis, so every replica spends from one budget per address (rate-limiter-flexible
 * increments and sets the expiry in one Lua script: concurrent replicas cannot overrun it).
 * A Redis failure is an `UnavailableError` (503, named), never a silent pass: deny by default.
 */
export function redisRateLimiter(client: Redis, namespace: string, where: string): RateLimiterFactory {
  return (options) => {
    const limiter = new RateLimiterRedis({ storeClient: client, ...options, keyPrefix: `${namespace}${options.keyPrefix}`, rejectIfRedisNotReady: true });
    return explained(limiter, where);
  };
}

function explained(limiter: RateLimiterAbstract, where: string): RateLimiter {
  const explain = (error: unknown): never => {
    // A reached limit is rate-limiter-flexible's answer, passed on as it is.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    if (error instanceof RateLimiterRes) throw error;
    const message = error instanceof Error ? error.message : 'Redis not ready';
    const unavailable = new UnavailableError('rate_limit_store_unavailable', `Rate-limit store (Redis at ${where}) failed: ${message}`);
    unavailable.cause = error;
    throw unavailable;
  };
  return {
    consume: (key, points) => limiter.consume(key, points).catch(explain),
    reward: (key, points) => limiter.reward(key, points).catch(explain),
  };
}
