export { createSessionBackend, redactRedisUrl, DEFAULT_SESSION_PREFIX, type SessionBackend, type SessionBackendOptions } from './backend.ts';
export { getSession, setSession, destroySession } from './promises.ts';
export { publishSessionChanges } from './events.ts';
export { memoryRateLimiter, RateLimiterRes, type RateLimiter, type RateLimiterFactory, type RateLimitOptions } from './rate-limiter.ts';
