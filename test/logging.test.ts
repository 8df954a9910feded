// Logs (issue 13 point 3): JSON lines only, one access line per request with a request id that the
// audit rows keep; no password, code, token or secret reaches them; Node warnings go through pino;
// outages are named for what failed. Metrics count what the audit trail records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { Redis } from 'ioredis';
import { configureLogger, logger, routeProcessWarnings } from '../src/shared/logger.ts';
import { errorAnswer } from '../src/http/errors.ts';
import { countAuditEvent, metricsText } from '../src/observability/metrics.ts';
import { issueWithdrawalCode, withdrawalIdentifier } from '../src/enrollment/withdrawal-codes.ts';
import { createToken } from '../src/tokens/index.ts';
import { sessionSecret } from '../src/app/runtime.ts';
import { PASSWORD, freePort, signIn, startTestGateway, type TestGateway } from './helpers/gateway.ts';
import { eventually } from './helpers/serve-process.ts';

const WRONG_PASSWORD = 'not-the-right-one-8472';
let gw: TestGateway;
const captured: string[] = [];
const output = () => captured.join('');
const lines = () => output().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

beforeAll(async () => {
  gw = await startTestGateway();
  gw.runtime.auditor.onRecord(countAuditEvent);
  logger.silence(false);
  configureLogger({ level: 'trace', destination: { write: (line: string) => void captured.push(line) } });
});
afterAll(async () => {
  configureLogger({ level: 'info', destination: null });
  await gw?.close();
});

describe('logs', () => {
  const secrets: Record<string, string> = {};

  it('drives a login, a wrong password, a withdrawal code and a token API call', async () => {
    const user = await gw.user();
    const cert = await gw.personalCertificate(user);
    const wrong = await signIn(gw, cert, WRONG_PASSWORD);
    expect(wrong.response.status).toBe(401);
    const { cookies, response } = await signIn(gw, cert);
    expect(response.status).toBe(303);
    expect((await gw.request({ path: '/api/whoami?ticket=abc', cert, cookies })).status).toBe(200);
    secrets.sessionCookie = decodeURIComponent([...cookies.values()][0]!);

    // A withdrawal code, sent with a CSR that is not one (refused after the code is read).
    const requestId = gw.runtime.random.uuid();
    const now = gw.clock.now().getTime();
    const w = await gw.runtime.storage.transaction(async (repos) => {
      await repos.certificateRequests.insert({ id: requestId, kind: 'personal', userId: user.id, establishmentId: null, label: 'Poste', requestedBy: user.identifier, createdAt: now });
      await repos.certificateRequests.approve(requestId, 'coordinator', now);
      const { code } = await issueWithdrawalCode(repos, { clock: gw.clock, random: gw.runtime.random, validityMs: 86_400_000 }, requestId);
      return { code, identifier: withdrawalIdentifier((await repos.certificateRequests.findById(requestId))!, user, gw.config.platformDomain) };
    });
    secrets.code = w.code;
    const redeem = await gw.request({ port: 'public', host: 'localhost', method: 'POST', path: '/api/withdrawal', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ identifier: w.identifier, code: w.code, csr: 'not a CSR' }) });
    expect(redeem.status).toBeGreaterThanOrEqual(400);

    // The admin API with a bearer token.
    const { user: coordinator } = await gw.runtime.accounts.createUser({ givenName: 'Alice', familyName: 'Journal', email: 'alice@cellule.example.org', role: 'coordinator', password: PASSWORD }, { name: 'test', ip: null });
    const coordinatorCert = await gw.personalCertificate(coordinator);
    const { token } = await createToken(gw.runtime, { user: coordinator, name: 'tests' }, { name: 'test', ip: null });
    secrets.token = token;
    const api = await gw.request({ host: 'console.localhost', path: '/api/v1/registrations', cert: coordinatorCert, headers: { accept: 'application/json', authorization: `Bearer ${token}` } });
    expect(api.status).toBe(200);

    secrets.password = PASSWORD;
    secrets.wrongPassword = WRONG_PASSWORD;
    secrets.sessionSecret = [sessionSecret(gw.config, gw.runtime.random)].flat()[0]!;
    secrets.keyPem = cert.keyPem.split('\n')[1]!;
  });

  it('wrote JSON lines only, one access line per request with its id, and no secret at all', async () => {
    // The access line is written when the server side of the exchange closes, just after the client has its answer.
    await eventually(() => lines().some((l) => l.msg === 'request' && l.path === '/api/v1/registrations'), 'the last access line');
    const all = lines(); // throws if a line is not JSON
    const access = all.filter((l) => l.msg === 'request');
    expect(access.length).toBeGreaterThanOrEqual(7);
    for (const line of access) expect(line).toMatchObject({ level: 'info', reqId: expect.stringMatching(/^[0-9a-f-]{36}$/), status: expect.any(Number), surface: expect.any(String) });
    // The query string (tickets, codes in links) never reaches the access line.
    expect(access.find((l) => l.path === '/api/whoami')).toMatchObject({ surface: 'gateway', app: 'opendrp', status: 200 });
    expect(output()).not.toContain('ticket=abc');
    expect(access.find((l) => l.path === '/api/v1/registrations')).toMatchObject({ surface: 'console', status: 200 });
    expect(access.find((l) => l.path === '/api/withdrawal')).toMatchObject({ surface: 'public' });

    expect(Object.keys(secrets)).toHaveLength(7);
    for (const [name, value] of Object.entries(secrets)) {
      expect(value.length, name).toBeGreaterThan(6);
      expect(output().includes(value), `${name} in the logs`).toBe(false);
    }
  });

  it('keeps the request id in the audit trail', async () => {
    const ids = new Set(lines().filter((l) => l.msg === 'request').map((l) => l.reqId));
    const logins = await gw.runtime.storage.audit.list({ action: 'gateway.login' });
    expect(logins.length).toBeGreaterThanOrEqual(2);
    for (const event of logins) expect(ids.has(event.requestId)).toBe(true);
    // Outside a request (this test's own setup), no id.
    const created = await gw.runtime.storage.audit.list({ action: 'user.create' });
    expect(created[0]?.requestId).toBeNull();
  });

  it('counts requests and logins in /metrics', async () => {
    const text = await metricsText();
    expect(text).toMatch(/passerelle_http_requests_total\{surface="gateway",app="opendrp",status="200"\} [1-9]/);
    expect(text).toMatch(/passerelle_logins_total\{where="gateway",outcome="failure"\} [1-9]/);
    expect(text).toMatch(/passerelle_logins_total\{where="gateway",outcome="success"\} [1-9]/);
    expect(text).toMatch(/passerelle_http_request_duration_seconds_bucket\{le="\+Inf",surface="console",app="-"\} [1-9]/);
  });

  it('routes Node warnings through pino', async () => {
    routeProcessWarnings();
    process.emitWarning('a test deprecation', { type: 'DeprecationWarning', code: 'DEP9999' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines().find((l) => l.msg === 'node warning')).toMatchObject({ level: 'warn', code: 'DEP9999', warning: 'a test deprecation' });
  });
});

describe('outages are named for what failed', () => {
  it('PostgreSQL unreachable: database_unavailable', async () => {
    const client = new pg.Client({ connectionString: `postgres://nobody@127.0.0.1:${await freePort()}/none`, connectionTimeoutMillis: 5000 });
    const error = await client.connect().then(() => null, (e: unknown) => e);
    expect(errorAnswer(error)).toEqual({ status: 503, code: 'database_unavailable' });
  });

  it('Redis unreachable: session_store_unavailable', async () => {
    const client = new Redis(`redis://127.0.0.1:${await freePort()}`, { lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null });
    client.on('error', () => undefined);
    const error = await client.get('x').then(() => null, (e: unknown) => e);
    client.disconnect();
    expect(errorAnswer(error)).toEqual({ status: 503, code: 'session_store_unavailable' });
  });
});
