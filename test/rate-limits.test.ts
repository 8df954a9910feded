/**
 * Issue 9, defect 2: per-address limits are spent BEFORE the work, so a burst of concurrent
 * failures cannot get more than the limit processed (real TLS, one source address).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMITS } from '../src/portal/rate-limits.ts';
import { WITHDRAWAL_FAILURES_PER_IP } from '../src/http/public/withdrawal.ts';
import { csrfOf, startTestGateway, type TestGateway } from './helpers/gateway.ts';
import { databaseBackends } from './helpers/backends.ts';

describe.each(databaseBackends())('per-address limits on $name', ({ url }) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ databaseUrl: url });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('400 concurrent failed portal sign-ins: exactly the limit is processed, the rest get 429', async () => {
    const cookies = new Map<string, string>();
    const csrf = csrfOf((await gw.request({ port: 'public', host: 'localhost', path: '/connexion', cookies })).body);
    const send = (n: number) =>
      gw.request({
        port: 'public',
        host: 'localhost',
        method: 'POST',
        path: '/connexion',
        cookies,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf, identifier: `inconnu.${n}`, password: 'not this one' }).toString(),
      });
    const responses = await Promise.all(Array.from({ length: 400 }, (_, n) => send(n)));
    const limit = DEFAULT_RATE_LIMITS.loginFailuresPerIp.points;
    expect(responses.filter((r) => r.status === 401)).toHaveLength(limit);
    expect(responses.filter((r) => r.status === 429)).toHaveLength(400 - limit);
    // What was processed is what was audited: one line per checked sign-in, no more.
    const audited = await gw.runtime.storage.audit.list({ action: 'portal.login', limit: 10_000 });
    expect(audited.filter((e) => e.reason === 'unknown_identifier')).toHaveLength(limit);
  });

  it('300 concurrent failed withdrawals: exactly the limit is processed, the rest get 429 with Retry-After', async () => {
    const send = () =>
      gw.request({
        port: 'public',
        host: 'localhost',
        method: 'POST',
        path: '/api/withdrawal',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ identifier: 'personne.inconnue@example', code: 'ABCD-EFGH-IJKL', csr: 'not a CSR' }),
      });
    const responses = await Promise.all(Array.from({ length: 300 }, send));
    const limit = WITHDRAWAL_FAILURES_PER_IP.points;
    const processed = responses.filter((r) => r.status !== 429);
    expect(processed).toHaveLength(limit);
    for (const r of processed) expect(r.status).toBeGreaterThanOrEqual(400);
    const limited = responses.filter((r) => r.status === 429);
    expect(limited).toHaveLength(300 - limit);
    expect(JSON.parse(limited[0]!.body)).toMatchObject({ error: 'rate_limited' });
    expect(Number(limited[0]!.headers['retry-after'])).toBeGreaterThan(0);
  });
});
