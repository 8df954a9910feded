import session, { type SessionData, type Store } from 'express-session';
import RedisStore from 'connect-redis';
import { Redis } from 'ioredis';
import { UnavailableError } from '../shared/errors.ts';
import { memoryRateLimiter, redisRateLimiter, type RateLimiterFactory } from './rate-limiter.ts';

/**
 * Where express-session keeps its sessions: in-process (one replica, the default) or Redis
 * (several replicas share them). The gateway also reads sessions outside express (WebSocket
 * upgrades) through `getSession` below.
 */
export interface SessionBackend {
  readonly store: Store;
  readonly kind: 'memory' | 'redis';
  /**
   * Per-address (or per-identifier) counters beside the sessions: in-process for the memory
   * backend, in Redis (under `rl:<prefix>`, outside the sessions' prefix) for Redis, so replicas share one limit.
   */
  readonly rateLimiter: RateLimiterFactory;
  /**
   * Resolves when the store is usable. For Redis: connects, and rejects with an
   * `UnavailableError` naming the server if it is not reachable within `readyTimeoutMs`
   * (5 s by default). Call it once at start-up, before serving: commands sent before the
   * connection is up fail at once rather than queue.
   */
  ready(): Promise<void>;
  /** One round trip to the store (readiness check): rejects when Redis does not answer. */
  ping(): Promise<void>;
  /** Releases the connection (Redis) — idempotent. */
  close(): Promise<void>;
}

export interface SessionBackendOptions {
  /** `redis://` or `rediss://` URL; null keeps sessions in this process. */
  redisUrl: string | null;
  /** Key prefix in Redis. Default `passerelle:sess:`. */
  prefix?: string;
  /** How long `ready()` waits for Redis. Default 5000 ms. */
  readyTimeoutMs?: number;
  /** A command (get/set/destroy) that gets no answer fails after this long. Default 2000 ms. */
  commandTimeoutMs?: number;
  /** Redis connection errors (the backend reconnects by itself); default: ignored, see `ready()`. */
  onError?: (error: Error) => void;
  /** In-process store: how often expired sessions are swept out. Default 10 minutes. */
  pruneIntervalMs?: number;
}

export const DEFAULT_SESSION_PREFIX = 'passerelle:sess:';
const DEFAULT_READY_TIMEOUT_MS = 5000;
const DEFAULT_COMMAND_TIMEOUT_MS = 2000;
const DEFAULT_PRUNE_INTERVAL_MS = 10 * 60_000;

export function createSessionBackend(options: SessionBackendOptions): SessionBackend {
  if (!options.redisUrl) return memoryBackend(options.pruneIntervalMs ?? DEFAULT_PRUNE_INTERVAL_MS);
  return redisBackend(options.redisUrl, options);
}

/**
 * express-session's MemoryStore only drops an expired session when that session is read
 * again; one never revisited would stay forever. `all()` reads (and so drops) every expired
 * one, so a timer sweeps it.
 */
function memoryBackend(pruneIntervalMs: number): SessionBackend {
  const store = new session.MemoryStore();
  const sweep = setInterval(() => store.all(() => undefined), pruneIntervalMs);
  sweep.unref();
  return {
    store,
    kind: 'memory',
    rateLimiter: memoryRateLimiter,
    ready: () => Promise.resolve(),
    ping: () => Promise.resolve(),
    close: () => {
      clearInterval(sweep);
      return Promise.resolve();
    },
  };
}

/** The URL without its password, for messages and logs. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable Redis URL)';
  }
}

/*
 * Outage behaviour. A request must fail fast during a Redis outage, never hang:
 * - enableOfflineQueue: false — while disconnected, commands are rejected at once instead of
 *   being queued until Redis comes back;
 * - commandTimeout — a connection that is up but silent (network partition, stopped server)
 *   rejects the command after `commandTimeoutMs`;
 * - maxRetriesPerRequest: 1 — a command caught by a dropped connection is not replayed for long;
 * - retryStrategy — the client keeps reconnecting in the background (capped back-off), so the
 *   gateway recovers by itself when Redis is back.
 */
type GetCallback = (error: unknown, session?: SessionData | null) => void;
type DoneCallback = (error?: unknown) => void;
const noop = (): void => undefined;

/**
 * connect-redis with client errors ("Stream isn't writeable…", "Command timed out") turned
 * into an `UnavailableError` (503, not exposed to clients) that says which store failed.
 */
class ExplainedRedisStore extends RedisStore {
  readonly #where: string;
  constructor(where: string, options: ConstructorParameters<typeof RedisStore>[0]) {
    super(options);
    this.#where = where;
  }
  #explain(error: unknown): UnavailableError {
    const message = error instanceof Error ? error.message : 'unknown error';
    const explained = new UnavailableError('session_store_unavailable', `Session store (Redis at ${this.#where}) failed: ${message}`);
    explained.cause = error;
    return explained;
  }
  override get(sid: string, cb: GetCallback = noop): Promise<void> {
    return super.get(sid, (error: unknown, data?: SessionData | null) => (error ? cb(this.#explain(error)) : cb(null, data)));
  }
  override set(sid: string, sess: SessionData, cb: DoneCallback = noop): Promise<void> {
    return super.set(sid, sess, (error?: unknown) => (error ? cb(this.#explain(error)) : cb()));
  }
  override touch(sid: string, sess: SessionData, cb: DoneCallback = noop): Promise<void> {
    return super.touch(sid, sess, (error?: unknown) => (error ? cb(this.#explain(error)) : cb()));
  }
  override destroy(sid: string, cb: DoneCallback = noop): Promise<void> {
    return super.destroy(sid, (error?: unknown) => (error ? cb(this.#explain(error)) : cb()));
  }
}

function redisBackend(url: string, options: SessionBackendOptions): SessionBackend {
  const where = redactRedisUrl(url);
  const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    connectTimeout: readyTimeoutMs,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2000),
    connectionName: 'passerelle-sessions',
  });
  let lastError: Error | null = null;
  // Without a listener ioredis prints every failed reconnection to the console.
  client.on('error', (error: Error) => {
    lastError = error;
    options.onError?.(error);
  });
  const store = new ExplainedRedisStore(where, { client, prefix: options.prefix ?? DEFAULT_SESSION_PREFIX });
  let closed = false;

  async function ready(): Promise<void> {
    if (closed) throw new UnavailableError('session_store_closed', `The session store (Redis at ${where}) is closed`);
    if (client.status === 'ready') return;
    const started = Date.now();
    let onReady: () => void = () => undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        onReady = resolve;
        client.once('ready', onReady);
        timer = setTimeout(() => {
          const cause = lastError ? `: ${lastError.message}` : '';
          reject(
            new UnavailableError(
              'session_store_unavailable',
              `Redis at ${where} is unreachable (no connection within ${Math.round((Date.now() - started) / 100) / 10} s)${cause}`,
            ),
          );
        }, readyTimeoutMs);
        // A failed first attempt is reported through 'error'; the client retries until the timer fires.
        if (client.status === 'wait') client.connect().catch(() => undefined);
      });
    } finally {
      clearTimeout(timer);
      client.off('ready', onReady);
    }
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    if (client.status === 'ready') {
      try {
        await client.quit();
        return;
      } catch {
        // fall through: drop the connection
      }
    }
    client.disconnect();
  }

  // Outside the session prefix: connect-redis lists sessions by scanning `<prefix>*` and would read these keys as sessions.
  const rateLimiter = redisRateLimiter(client, `rl:${options.prefix ?? DEFAULT_SESSION_PREFIX}`, where);
  // enableOfflineQueue is off and commandTimeout set: a ping while Redis is down fails at once or soon.
  const ping = async (): Promise<void> => {
    await client.ping();
  };
  return { store, kind: 'redis', rateLimiter, ready, ping, close };
}
