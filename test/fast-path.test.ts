import https from 'node:https';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { deactivatePerson } from '../src/people/actions.ts';
import { redisChannel, EVENTS_CHANNEL, type Invalidation } from '../src/events/index.ts';
import { accessTableChanged } from '../src/storage/changes.ts';
import { csrfOf, errorCode, signIn, startTestGateway, type ClientCertificate, type TestGateway } from './helpers/gateway.ts';
import { databaseBackends, sessionBackends } from './helpers/backends.ts';

/*
 * The lean path (src/http/gateway/fast-path.ts) keeps state between requests of a live session.
 * These tests use ONE keep-alive TLS connection, so the connection's cached certificate, the
 * session, the access decision and the signed assertion are all reused — and check that what
 * must end them (revocation by another process, deactivation, grant withdrawn, logout) still
 * ends them on the next request(s).
 */

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');

function cli(gw: TestGateway, args: string[]) {
  return run(process.execPath, [path.join(ROOT, 'bin/passerelle.js'), ...args], { env: { ...process.env, ...gw.env, PASSERELLE_PUBLIC_URL: gw.config.publicUrl }, cwd: ROOT });
}

function keepAlive(cert: ClientCertificate, ca: string): https.Agent {
  return new https.Agent({ keepAlive: true, maxSockets: 1, cert: cert.certPem, key: cert.keyPem, ca });
}

interface Whoami {
  claims: { jti: string; sub: string };
}

/** Asks until `done(status, body)` or the attempts run out; returns the last answer. No timing is asserted. */
async function until(ask: () => Promise<{ status: number; body: string }>, done: (status: number, body: string) => boolean, attempts = 100): Promise<{ status: number; body: string; tries: number }> {
  let last = await ask();
  let tries = 1;
  while (!done(last.status, last.body) && tries < attempts) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await ask();
    tries += 1;
  }
  return { ...last, tries };
}

/** A flag or a count as an answer `until` can wait on. */
const state = (value: boolean | number) => Promise.resolve({ status: Number(value), body: '' });

const matrix = databaseBackends().flatMap((db) => sessionBackends().map((s) => ({ name: `${db.name} + ${s.name} sessions`, databaseUrl: db.url, redisUrl: s.url })));

describe.each(matrix)('lean proxy path on $name', ({ databaseUrl, redisUrl }) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ databaseUrl, redisUrl });
  });
  afterAll(async () => {
    await gw?.close();
  });

  async function session() {
    const user = await gw.user();
    const cert = await gw.personalCertificate(user);
    const { cookies } = await signIn(gw, cert);
    const agent = keepAlive(cert, gw.runtime.pki.chainPem);
    const get = (p = '/api/whoami') => gw.request({ path: p, cert, cookies, agent, headers: { accept: 'application/json' } });
    return { user, cert, cookies, agent, get };
  }

  it('signs the assertion once per session and application, reuses it for half its lifetime, then signs anew', async () => {
    const { agent, get, user } = await session();
    try {
      const first = await get();
      const second = await get();
      const third = await get();
      expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
      expect(second.reusedSocket && third.reusedSocket).toBe(true);
      const jtis = [first, second, third].map((r) => (JSON.parse(r.body) as Whoami).claims.jti);
      expect(new Set(jtis).size).toBe(1);
      expect((JSON.parse(first.body) as Whoami).claims.sub).toBe(user.id);
      gw.clock.advance((gw.config.assertion.ttlSeconds / 2) * 1000 + 1);
      const later = await get();
      expect(later.status).toBe(200);
      expect((JSON.parse(later.body) as Whoami).claims.jti).not.toBe(jtis[0]);
    } finally {
      agent.destroy();
    }
  });

  it('a revocation by the CLI in another process reaches a live keep-alive connection', async () => {
    const { agent, get, cert } = await session();
    try {
      expect((await get()).status).toBe(200);
      expect((await get()).reusedSocket).toBe(true);
      await cli(gw, ['--json', 'cert', 'revoke', cert.serial, '--reason', 'keyCompromise']);
      const after = await until(get, (status) => status !== 200);
      expect(after.status).toBe(495);
      expect(JSON.parse(after.body)).toEqual({ error: 'certificate_revoked' });
    } finally {
      agent.destroy();
    }
  });

  it('deactivation and a withdrawn grant apply to the very next request on the same connection', async () => {
    const one = await session();
    const two = await session();
    try {
      expect((await one.get()).status).toBe(200);
      expect((await two.get()).status).toBe(200);
      await deactivatePerson(gw.runtime, one.user.id, { name: 'test' });
      const disabled = await one.get();
      expect(disabled.status).toBe(403);
      expect(disabled.reusedSocket).toBe(true);
      await gw.runtime.accounts.revokeGrant(two.user.id, 'opendrp', { name: 'test' });
      const withdrawn = await two.get();
      expect(withdrawn.status).toBe(403);
      expect(JSON.parse(withdrawn.body)).toEqual({ error: 'no_access' });
    } finally {
      one.agent.destroy();
      two.agent.destroy();
    }
  });

  it('logout ends the cached session at once', async () => {
    const { agent, get, cert, cookies } = await session();
    try {
      expect((await get()).status).toBe(200);
      const page = await gw.request({ path: '/.passerelle/logout', cert, cookies, agent });
      const out = await gw.request({ method: 'POST', path: '/.passerelle/logout', cert, cookies, agent, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf: csrfOf(page.body) }).toString() });
      expect(out.status).toBeLessThan(400);
      // The old cookie, replayed on the same connection, opens nothing.
      const replay = await gw.request({ path: '/api/whoami', cert, agent, headers: { accept: 'application/json', cookie: `${gw.config.session.cookieName}=${'x'}` } });
      expect(replay.status).toBe(401);
      const after = await get();
      expect(after.status).toBe(401);
      expect(JSON.parse(after.body)).toEqual({ error: 'authentication_required' });
    } finally {
      agent.destroy();
    }
  });

  it('X-Forwarded-Host keeps the port the client named and X-Forwarded-Port says it', async () => {
    const { agent, cert, cookies } = await session();
    try {
      const port = String(gw.listeners.gatewayPort);
      const answer = await gw.request({ path: '/api/whoami', cert, cookies, agent, headers: { accept: 'application/json', host: `opendrp.localhost:${port}` } });
      expect(answer.status).toBe(200);
      const { headers } = JSON.parse(answer.body) as { headers: Record<string, string> };
      expect(headers['x-forwarded-host']).toBe(`opendrp.localhost:${port}`);
      expect(headers['x-forwarded-port']).toBe(port);
    } finally {
      agent.destroy();
    }
  });

  it('idle and absolute session limits still apply to cached sessions', async () => {
    const { agent, get } = await session();
    try {
      expect((await get()).status).toBe(200);
      gw.clock.advance(gw.config.session.idleTimeoutMinutes * 60_000 + 1);
      const idle = await get();
      expect(idle.status).toBe(401);
      expect(JSON.parse(idle.body)).toEqual({ error: 'session_expired' });
    } finally {
      agent.destroy();
    }
  });

  it('a refused request on the lean path still gets the explained page and an audit line', async () => {
    const { agent, cert, cookies } = await session();
    try {
      const page = await gw.request({ path: '/', cert, cookies, agent });
      expect(page.status).toBe(200);
      await cli(gw, ['--json', 'cert', 'revoke', cert.serial, '--reason', 'keyCompromise']);
      const refused = await until(() => gw.request({ path: '/', cert, cookies, agent }), (status) => status !== 200);
      expect(errorCode(refused.body)).toBe('certificate_revoked');
      const trail = await gw.runtime.storage.audit.list({ limit: 50 });
      expect(trail.some((entry) => entry.action === 'gateway.certificate' && entry.reason === 'certificate_revoked' && entry.certificateSerial === cert.serial)).toBe(true);
    } finally {
      agent.destroy();
    }
  });
});

const redisUrls = sessionBackends().flatMap((s) => (s.url ? [s.url] : []));
describe.skipIf(redisUrls.length === 0)('event channel on Redis (not run here: no REDIS_URL)', () => {
  it('carries invalidations between processes, reports a lost subscription and, once back, asks to forget everything', async () => {
    const url = redisUrls[0]!;
    const a = redisChannel({ url });
    const b = redisChannel({ url });
    const heard: Invalidation[] = [];
    const health: boolean[] = [];
    b.subscribe((event) => heard.push(event));
    b.onHealthChange((healthy) => health.push(healthy));
    const admin = new Redis(url);
    try {
      await until(() => state(a.healthy && b.healthy), (status) => status === 1);
      a.publish({ kind: 'store', tables: ['certificates'] });
      await until(() => state(heard.length), (status) => status > 0);
      expect(heard).toContainEqual({ kind: 'store', tables: ['certificates'] });
      heard.length = 0;
      // Cut every subscriber connection, as a Redis restart or a network cut would.
      await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
      await until(() => state(health.includes(false)), (status) => status === 1);
      expect(health).toContain(false);
      await until(() => state(b.healthy), (status) => status === 1);
      expect(b.healthy).toBe(true);
      expect(heard).toContainEqual({ kind: 'store', tables: ['*'] });
      expect(await admin.pubsub('NUMSUB', EVENTS_CHANNEL)).toEqual([EVENTS_CHANNEL, 2]);
    } finally {
      admin.disconnect();
      await a.close();
      await b.close();
    }
  });

  it('two replicas on one database and one Redis: a grant withdrawn on one is refused on the other', async () => {
    const url = redisUrls[0]!;
    const databaseUrl = databaseBackends().find((db) => db.url)?.url ?? null;
    if (!databaseUrl) throw new Error('needs PostgreSQL (embedded or DATABASE_URL)');
    const one = await startTestGateway({ databaseUrl, redisUrl: url });
    const two = await startTestGateway({ replicaOf: one, redisUrl: url });
    try {
      const user = await one.user();
      const cert = await one.personalCertificate(user);
      const { cookies } = await signIn(one, cert);
      const agent = keepAlive(cert, two.runtime.pki.chainPem);
      const get = () => two.request({ path: '/api/whoami', cert, cookies, agent, headers: { accept: 'application/json' } });
      expect((await get()).status).toBe(200);
      expect((await get()).reusedSocket).toBe(true);
      await one.runtime.accounts.revokeGrant(user.id, 'opendrp', { name: 'test' });
      const after = await until(get, (status) => status !== 200);
      expect(after.status).toBe(403);
      agent.destroy();
    } finally {
      await two.close();
      await one.close();
    }
  });
});

describe('which writes make the gateway forget (src/storage/changes.ts)', () => {
  it('status, grants and certificates count; the lockout counter and login bookkeeping do not; reads never', () => {
    expect(accessTableChanged("UPDATE users SET status = 'locked', locked_at = ?, updated_at = ? WHERE id = ? AND failed_logins >= ?")).toBe('users');
    expect(accessTableChanged('UPDATE users SET status = ?, updated_at = ? WHERE id = ?')).toBe('users');
    expect(accessTableChanged("UPDATE certificates SET status = 'revoked', revoked_at = ? WHERE serial = ?")).toBe('certificates');
    expect(accessTableChanged('INSERT INTO grants (user_id, application_id) VALUES (?, ?)')).toBe('grants');
    expect(accessTableChanged('DELETE FROM service_members WHERE service_id = ?')).toBe('service_members');
    expect(accessTableChanged('UPDATE users SET failed_logins = failed_logins + 1, updated_at = ? WHERE id = ? RETURNING failed_logins')).toBeNull();
    expect(accessTableChanged('UPDATE users SET failed_logins = 0, last_login_at = ?, last_login_ip = ?, updated_at = ? WHERE id = ?')).toBeNull();
    // Anything the parser cannot read as bookkeeping only is taken as a change (fail safe).
    expect(accessTableChanged('UPDATE users SET failed_logins = COALESCE(?, 0), status = ? WHERE id = ?')).toBe('users');
    expect(accessTableChanged('SELECT * FROM users WHERE id = ?')).toBeNull();
    expect(accessTableChanged("UPDATE outbox SET status = 'sent' WHERE id = ?")).toBeNull();
  });
});
