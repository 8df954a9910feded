/**
 * The session store behind express-session: in-process always, Redis when REDIS_URL is set.
 * Outage cases need no Redis of their own (a closed port) or go through a TCP relay to the
 * real one that the test cuts and restores.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import session, { type SessionData } from 'express-session';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSessionBackend, destroySession, getSession, setSession, type SessionBackend } from '../src/session/index.ts';
import { sessionBackends } from './helpers/backends.ts';

type TestSession = SessionData & { userId?: string; fingerprint?: string; views?: number };

const MINUTE = 60_000;

/** A session as express-session would save it: a cookie expiring `maxAge` from now. */
function sessionData(extra: Partial<TestSession> = {}, maxAge = 45 * MINUTE): TestSession {
  const cookie = new session.Cookie();
  cookie.maxAge = maxAge; // sets `expires` to now + maxAge, as express-session does
  cookie.originalMaxAge = maxAge;
  cookie.secure = true;
  cookie.sameSite = 'lax';
  return { ...extra, cookie };
}

/** getSession, typed with this file's session fields. */
async function read(store: SessionBackend['store'], sid: string): Promise<TestSession | null> {
  const data: TestSession | null = await getSession(store, sid);
  return data;
}

/** A store callback settling a promise. */
function settle(resolve: () => void, reject: (error: Error) => void): (error?: unknown) => void {
  return (error) => (error ? reject(error instanceof Error ? error : new Error('store error')) : resolve());
}

function freshPrefix(): string {
  return `passerelle:test:${randomBytes(6).toString('hex')}:`;
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Reads the session id out of an express-session `Set-Cookie` header. */
function sidFromSetCookie(setCookie: string | null): string {
  const value = /^[^=]+=([^;]+)/.exec(setCookie ?? '')?.[1];
  const decoded = decodeURIComponent(value ?? '');
  if (!decoded.startsWith('s:')) throw new Error(`no signed session cookie in ${setCookie}`);
  return decoded.slice(2, decoded.lastIndexOf('.'));
}

/** A plain node:http server running express-session with the given store (a counter page). */
async function serveSessions(backend: SessionBackend, maxAge: number): Promise<{ url: string; close: () => Promise<void> }> {
  const middleware = session({
    name: 'sid',
    store: backend.store,
    secret: 'a-test-secret-that-is-long-enough-0123456789',
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { maxAge, httpOnly: true, sameSite: 'lax', secure: false },
  }) as unknown as (req: http.IncomingMessage, res: http.ServerResponse, next: (error?: unknown) => void) => void;
  const server = http.createServer((req, res) => {
    middleware(req, res, (error) => {
      if (error) {
        res.statusCode = 503;
        res.end(error instanceof Error ? error.message : 'error');
        return;
      }
      const s = (req as http.IncomingMessage & { session: TestSession }).session;
      s.views = (s.views ?? 0) + 1;
      res.end(String(s.views));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // fetch keeps connections alive
      }),
  };
}

describe.each(sessionBackends())('session store on $name', ({ name, url }) => {
  let backend: SessionBackend;
  let prefix: string;

  beforeEach(async () => {
    prefix = freshPrefix();
    backend = createSessionBackend({ redisUrl: url, prefix });
    await backend.ready();
  });

  afterEach(async () => {
    vi.useRealTimers();
    await new Promise<void>((resolve) => (backend.store.clear ? backend.store.clear(() => resolve()) : resolve()));
    await backend.close();
  });

  it('is the kind asked for', () => {
    expect(backend.kind).toBe(name);
  });

  it('sets, gets and destroys a session through the store', async () => {
    const sid = randomUUID();
    const data = sessionData({ userId: 'u-helene.lefevre', fingerprint: 'ab'.repeat(32) });
    await new Promise<void>((resolve, reject) => backend.store.set(sid, data, settle(resolve, reject)));
    const stored = await new Promise<SessionData | null | undefined>((resolve, reject) =>
      backend.store.get(sid, (error: unknown, s?: SessionData | null) => (error ? reject(new Error('get failed', { cause: error })) : resolve(s))),
    );
    expect(stored).toMatchObject({ userId: 'u-helene.lefevre', fingerprint: 'ab'.repeat(32) });
    await new Promise<void>((resolve, reject) => backend.store.destroy(sid, settle(resolve, reject)));
    expect(await getSession(backend.store, sid)).toBeNull();
  });

  it('getSession, setSession and destroySession wrap the store in promises', async () => {
    const sid = randomUUID();
    expect(await getSession(backend.store, sid)).toBeNull();
    await setSession(backend.store, sid, sessionData({ userId: 'u-1' }));
    const stored = await read(backend.store, sid);
    expect(stored?.userId).toBe('u-1');
    // The cookie comes back as stored (JSON): its expiry is still there for the gateway to check.
    expect(new Date(stored!.cookie.expires as unknown as string).getTime()).toBeGreaterThan(Date.now());
    await setSession(backend.store, sid, sessionData({ userId: 'u-2' }));
    expect((await read(backend.store, sid))?.userId).toBe('u-2');
    await destroySession(backend.store, sid);
    await destroySession(backend.store, sid); // destroying twice is fine
    expect(await getSession(backend.store, sid)).toBeNull();
  });

  it('keeps sessions apart', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await setSession(backend.store, a, sessionData({ userId: 'u-a' }));
    await setSession(backend.store, b, sessionData({ userId: 'u-b' }));
    await destroySession(backend.store, a);
    expect(await getSession(backend.store, a)).toBeNull();
    expect((await read(backend.store, b))?.userId).toBe('u-b');
  });

  it('a session whose cookie has already expired reads as null', async () => {
    const sid = randomUUID();
    const data = sessionData({ userId: 'u-1' });
    data.cookie.expires = new Date(Date.now() - 1000);
    await setSession(backend.store, sid, data);
    expect(await getSession(backend.store, sid)).toBeNull();
  });

  it('works under express-session: the session survives across requests', async () => {
    const server = await serveSessions(backend, 45 * MINUTE);
    try {
      const first = await fetch(server.url);
      expect(await first.text()).toBe('1');
      const setCookie = first.headers.get('set-cookie');
      const cookie = setCookie!.split(';')[0]!;
      const second = await fetch(server.url, { headers: { cookie } });
      expect(await second.text()).toBe('2');
      expect((await read(backend.store, sidFromSetCookie(setCookie)))?.views).toBe(2);
    } finally {
      await server.close();
    }
  });

  if (name === 'memory') {
    it('sweeps expired sessions that are never read again', async () => {
      vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
      const swept = createSessionBackend({ redisUrl: null, pruneIntervalMs: MINUTE });
      try {
        await setSession(swept.store, 'short', sessionData({}, 5 * MINUTE));
        await setSession(swept.store, 'long', sessionData({}, 60 * MINUTE));
        const count = () => Object.keys((swept.store as session.MemoryStore & { sessions: Record<string, string> }).sessions).length;
        expect(count()).toBe(2);
        vi.advanceTimersByTime(6 * MINUTE); // moves Date and fires the sweep
        expect(count()).toBe(1);
      } finally {
        await swept.close();
      }
    });

    it('honours the cookie lifetime (45 min idle)', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const sid = randomUUID();
      await setSession(backend.store, sid, sessionData({ userId: 'u-1' }, 45 * MINUTE));
      vi.setSystemTime(Date.now() + 44 * MINUTE);
      expect(await getSession(backend.store, sid)).not.toBeNull();
      vi.setSystemTime(Date.now() + 2 * MINUTE);
      expect(await getSession(backend.store, sid)).toBeNull();
    });
  }

  if (name === 'redis') {
    let probe: Redis;
    beforeEach(() => {
      probe = new Redis(url!, { lazyConnect: true, maxRetriesPerRequest: 1 });
    });
    afterEach(async () => {
      await probe.quit();
    });

    it('stores under the prefix with the cookie lifetime as Redis TTL, renewed by touch', async () => {
      const sid = randomUUID();
      await setSession(backend.store, sid, sessionData({ userId: 'u-1' }, 45 * MINUTE));
      const ttl = await probe.pttl(`${prefix}${sid}`);
      expect(ttl).toBeGreaterThan(45 * MINUTE - 5000);
      expect(ttl).toBeLessThanOrEqual(45 * MINUTE);
      expect(JSON.parse((await probe.get(`${prefix}${sid}`))!)).toMatchObject({ userId: 'u-1' });
      // A rolling session is touched on each request: the TTL moves to the new expiry.
      const later = sessionData({ userId: 'u-1' }, 90 * MINUTE);
      await new Promise<void>((resolve, reject) => backend.store.touch!(sid, later, settle(resolve, reject)));
      expect(await probe.pttl(`${prefix}${sid}`)).toBeGreaterThan(89 * MINUTE);
      await destroySession(backend.store, sid);
      expect(await probe.exists(`${prefix}${sid}`)).toBe(0);
    });

    it('uses passerelle:sess: as the default prefix', async () => {
      const other = createSessionBackend({ redisUrl: url });
      try {
        await other.ready();
        const sid = `test-${randomUUID()}`;
        await setSession(other.store, sid, sessionData({}, MINUTE));
        expect(await probe.exists(`passerelle:sess:${sid}`)).toBe(1);
        await destroySession(other.store, sid);
      } finally {
        await other.close();
      }
    });

    it('a session expires in Redis itself (real 1.3 s wait)', async () => {
      const sid = randomUUID();
      await setSession(backend.store, sid, sessionData({ userId: 'u-1' }, 1000));
      expect(await getSession(backend.store, sid)).not.toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 1300));
      expect(await getSession(backend.store, sid)).toBeNull();
      expect(await probe.exists(`${prefix}${sid}`)).toBe(0);
    });

    it('during an outage a read fails at once, and the store recovers when Redis is back', async () => {
      const relay = await TcpRelay.start(new URL(url!));
      const cut = createSessionBackend({ redisUrl: relay.url(url!), prefix, readyTimeoutMs: 5000 });
      try {
        await cut.ready();
        const sid = randomUUID();
        await setSession(cut.store, sid, sessionData({ userId: 'u-1' }));

        await relay.stop();
        const started = Date.now();
        await expect(getSession(cut.store, sid)).rejects.toThrow(/Session store \(Redis at .*\) failed/);
        await expect(setSession(cut.store, sid, sessionData())).rejects.toMatchObject({ status: 503, code: 'session_store_unavailable' });
        expect(Date.now() - started).toBeLessThan(1000);

        await relay.restart();
        await cut.ready(); // reconnects by itself (back-off ≤ 2 s)
        expect((await read(cut.store, sid))?.userId).toBe('u-1');
      } finally {
        await cut.close();
        await relay.stop();
      }
    });

    it('a server that stops answering makes a read fail after the command timeout, not hang', async () => {
      const relay = await TcpRelay.start(new URL(url!));
      const silent = createSessionBackend({ redisUrl: relay.url(url!), prefix, commandTimeoutMs: 500 });
      try {
        await silent.ready();
        relay.blackhole = true;
        const started = Date.now();
        await expect(getSession(silent.store, randomUUID())).rejects.toThrow(/timed out/i);
        const elapsed = Date.now() - started;
        expect(elapsed).toBeGreaterThanOrEqual(400);
        expect(elapsed).toBeLessThan(2000);
      } finally {
        await silent.close();
        await relay.stop();
      }
    });

    it('express-session answers an error (not a hang, not an empty session) during an outage', async () => {
      const relay = await TcpRelay.start(new URL(url!));
      const cut = createSessionBackend({ redisUrl: relay.url(url!), prefix });
      const server = await serveSessions(cut, 45 * MINUTE);
      try {
        await cut.ready();
        const first = await fetch(server.url);
        const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
        await relay.stop();
        const during = await fetch(server.url, { headers: { cookie }, signal: AbortSignal.timeout(3000) });
        expect(during.status).toBe(503);
        expect(await during.text()).toMatch(/Session store/);
      } finally {
        await server.close();
        await cut.close();
        await relay.stop();
      }
    });
  }
});

describe('Redis session backend with no server', () => {
  it('ready() rejects within its 5 s bound with a message naming the server, without the password', async () => {
    const port = await closedPort();
    const backend = createSessionBackend({ redisUrl: `redis://:s3cret@127.0.0.1:${port}/0` });
    try {
      expect(backend.kind).toBe('redis');
      const started = Date.now();
      const error = await backend.ready().then(
        () => null,
        (e: unknown) => e,
      );
      const elapsed = Date.now() - started;
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(new RegExp(`Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}/0 is unreachable .*ECONNREFUSED`));
      expect((error as Error).message).not.toContain('s3cret');
      expect(error).toMatchObject({ status: 503, code: 'session_store_unavailable' });
      expect(elapsed).toBeGreaterThanOrEqual(4500);
      expect(elapsed).toBeLessThan(6500);
    } finally {
      await backend.close();
    }
  });

  it('honours a shorter ready timeout, and reads fail at once instead of queueing', async () => {
    const port = await closedPort();
    const backend = createSessionBackend({ redisUrl: `redis://127.0.0.1:${port}`, readyTimeoutMs: 300 });
    try {
      const started = Date.now();
      await expect(backend.ready()).rejects.toThrow(/unreachable/);
      expect(Date.now() - started).toBeLessThan(1500);
      const before = Date.now();
      await expect(getSession(backend.store, 'any')).rejects.toThrow(/Session store \(Redis at redis:\/\/127\.0\.0\.1:\d+\) failed/);
      await expect(destroySession(backend.store, 'any')).rejects.toThrow(/Session store/);
      expect(Date.now() - before).toBeLessThan(500);
    } finally {
      await backend.close();
    }
  });

  it('close() is idempotent and a closed backend is not ready', async () => {
    const backend = createSessionBackend({ redisUrl: `redis://127.0.0.1:${await closedPort()}` });
    await backend.close();
    await backend.close();
    await expect(backend.ready()).rejects.toThrow(/closed/);
  });

  it('without a URL the store is the in-process one', async () => {
    const backend = createSessionBackend({ redisUrl: null });
    expect(backend.kind).toBe('memory');
    expect(backend.store).toBeInstanceOf(session.MemoryStore);
    await backend.ready();
    await backend.close();
  });
});

/**
 * A TCP relay in front of the real Redis: `stop()` cuts every connection and refuses new ones
 * (an outage), `restart()` listens again on the same port, `blackhole` swallows traffic.
 */
class TcpRelay {
  blackhole = false;
  readonly #sockets = new Set<net.Socket>();
  #server: net.Server | null = null;
  private constructor(
    private readonly target: { host: string; port: number },
    private port: number,
  ) {}

  static async start(redis: URL): Promise<TcpRelay> {
    const relay = new TcpRelay({ host: redis.hostname, port: Number(redis.port || 6379) }, 0);
    await relay.restart();
    return relay;
  }

  url(redisUrl: string): string {
    const u = new URL(redisUrl);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  async restart(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on('close', () => this.#sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.on('data', (chunk) => void (this.blackhole || upstream.write(chunk)));
      upstream.on('data', (chunk) => void (this.blackhole || client.write(chunk)));
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.#server = server;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    for (const s of this.#sockets) s.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}
