import { RateLimiterRes, memoryRateLimiter, type RateLimiter, type RateLimiterFactory } from '../session/index.ts';
import { lowerCaseWithoutAccents } from '../shared/text.ts';

export interface Limit {
  points: number;
  /** Window, in seconds. */
  duration: number;
}

/** Per-address counters: in Redis when REDIS_URL is set (one budget across replicas), in-process otherwise. */
export interface PortalRateLimitOptions {
  registrationPerIp: Limit;
  forgotPerIp: Limit;
  forgotPerIdentifier: Limit;
  loginFailuresPerIp: Limit;
}

export const DEFAULT_RATE_LIMITS: PortalRateLimitOptions = {
  registrationPerIp: { points: 10, duration: 3600 },
  forgotPerIp: { points: 10, duration: 3600 },
  forgotPerIdentifier: { points: 3, duration: 3600 },
  // Failures only: a hospital behind one address signs many people in at 8 am.
  loginFailuresPerIp: { points: 50, duration: 900 },
};

/** Allowed, or how many seconds to wait before retrying. */
export type Verdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

async function spend(limiter: RateLimiter, key: string): Promise<Verdict> {
  try {
    await limiter.consume(key);
    return { allowed: true };
  } catch (error) {
    if (error instanceof RateLimiterRes) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) };
    throw error;
  }
}

export class PortalRateLimits {
  readonly #registration: RateLimiter;
  readonly #forgotIp: RateLimiter;
  readonly #forgotIdentifier: RateLimiter;
  readonly #loginFailures: RateLimiter;

  /** `limiter`: the session backend's factory (Redis or memory). */
  constructor(limiter: RateLimiterFactory = memoryRateLimiter, options: PortalRateLimitOptions = DEFAULT_RATE_LIMITS) {
    this.#registration = limiter({ keyPrefix: 'registration', ...options.registrationPerIp });
    this.#forgotIp = limiter({ keyPrefix: 'forgot-ip', ...options.forgotPerIp });
    this.#forgotIdentifier = limiter({ keyPrefix: 'forgot-id', ...options.forgotPerIdentifier });
    this.#loginFailures = limiter({ keyPrefix: 'login-ip', ...options.loginFailuresPerIp });
  }

  registration(ip: string | null): Promise<Verdict> {
    return spend(this.#registration, ip ?? 'unknown');
  }

  /** Both counters are spent on every request, whether or not the account exists. */
  async forgotPassword(ip: string | null, identifier: string): Promise<Verdict> {
    const byIp = await spend(this.#forgotIp, ip ?? 'unknown');
    const byIdentifier = await spend(this.#forgotIdentifier, lowerCaseWithoutAccents(identifier.trim()).slice(0, 200));
    if (!byIp.allowed) return byIp;
    return byIdentifier;
  }

  /**
   * Spends one failure point BEFORE the sign-in is checked, so concurrent requests cannot
   * overrun the limit; `loginNotFailed` gives it back when the attempt turned out no failure.
   */
  loginAttempt(ip: string | null): Promise<Verdict> {
    return spend(this.#loginFailures, ip ?? 'unknown');
  }

  async loginNotFailed(ip: string | null): Promise<void> {
    await this.#loginFailures.reward(ip ?? 'unknown', 1);
  }
}
