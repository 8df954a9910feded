/**
 * Issue 13 point 5: per-address limits live in Redis when REDIS_URL is set, so two replicas
 * (two runtimes, one Redis, one key prefix) spend from one budget; in-process, each counts its own.
 * Real TLS, real withdrawal failures, one source address.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WITHDRAWAL_FAILURES_PER_IP } from '../src/http/public/withdrawal.ts';
import { RateLimiterRes, createSessionBackend } from '../src/session/index.ts';
import { freePort, startTestGateway, type TestGateway } from './helpers/gateway.ts';
import { sessionBackends } from './helpers/backends.ts';

const failedWithdrawal = (gw: TestGateway) =>
  gw.request({
    port: 'public',
    host: 'localhost',
    method: 'POST',
    path: '/api/withdrawal',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ identifier: 'personne.inconnue@example', code: 'ABCD-EFGH-IJKL', csr: 'not a CSR' }),
  });

describe.each(sessionBackends())('per-address limits across two replicas, sessions on $name', ({ name, url }) => {
  const replicas: TestGateway[] = [];
  beforeAll(async () => {
    // One deployment: same Redis, same key prefix (each test run gets its own).
    const redisPrefix = `passerelle-test:rl-${randomBytes(4).toString('hex')}:`;
    replicas.push(await startTestGateway({ redisUrl: url, redisPrefix }), await startTestGateway({ redisUrl: url, redisPrefix }));
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.close()));
  });

  it(name === 'redis' ? 'failed withdrawals spread over both replicas share one limit' : 'each replica counts its own failures (in-process counters)', async () => {
    const [a, b] = replicas as [TestGateway, TestGateway];
    const limit = WITHDRAWAL_FAILURES_PER_IP.points;
    const perReplica = limit; // 2 × limit attempts in all
    const responses = await Promise.all([...Array.from({ length: perReplica }, () => failedWithdrawal(a)), ...Array.from({ length: perReplica }, () => failedWithdrawal(b))]);
    const processed = responses.filter((r) => r.status !== 429);
    const limited = responses.filter((r) => r.status === 429);
    if (name === 'redis') {
      expect(processed).toHaveLength(limit);
      expect(limited).toHaveLength(perReplica * 2 - limit);
      expect(JSON.parse(limited[0]!.body)).toMatchObject({ error: 'rate_limited' });
      // Either replica now refuses the address.
      expect((await failedWithdrawal(a)).status).toBe(429);
      expect((await failedWithdrawal(b)).status).toBe(429);
    } else {
      expect(processed).toHaveLength(perReplica * 2);
      expect(limited).toHaveLength(0);
    }
  });
});

describe('rate limits on an unreachable Redis', () => {
  it('refuse with rate_limit_store_unavailable (503) instead of letting the attempt through', async () => {
    const backend = createSessionBackend({ redisUrl: `redis://127.0.0.1:${await freePort()}`, readyTimeoutMs: 200 });
    try {
      const limiter = backend.rateLimiter({ keyPrefix: 'probe', points: 1, duration: 60 });
      const error: unknown = await limiter.consume('203.0.113.7').catch((e: unknown) => e);
      expect(error).not.toBeInstanceOf(RateLimiterRes);
      expect(error).toMatchObject({ status: 503, code: 'rate_limit_store_unavailable' });
    } finally {
      await backend.close();
    }
  });
});
