// /readyz on the admin listener follows real outages of Redis and PostgreSQL (issue 13 point 2),
// and a replica started while Redis is down waits, not ready, instead of staying alive and silent.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './helpers/gateway.ts';
import { eventually, startServe, type ServeProcess } from './helpers/serve-process.ts';
import { REDIS_SERVER_AVAILABLE, postgresServer, redisServer, type OutageServer } from './helpers/outage-servers.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serveWith(env: Record<string, string>, yaml = ''): Promise<{ server: ServeProcess; publicPort: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'passerelle-ready-'));
  const [publicPort, gatewayPort, adminPort] = [await freePort(), await freePort(), await freePort()];
  const file = path.join(dir, 'passerelle.yaml');
  writeFileSync(file, yaml);
  const server = startServe(
    { PASSERELLE_CONFIG: file, PASSERELLE_DATA_DIR: dir, PASSERELLE_PUBLIC_PORT: String(publicPort), PASSERELLE_GATEWAY_PORT: String(gatewayPort), PASSERELLE_ADMIN_PORT: String(adminPort), DATABASE_URL: '', REDIS_URL: '', ...env },
    adminPort,
  );
  cleanups.push(async () => {
    server.kill();
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  });
  return { server, publicPort };
}

function own(server: OutageServer): OutageServer {
  cleanups.push(() => server.dispose());
  return server;
}

const readyz = (server: ServeProcess) => server.admin('/readyz').catch(() => ({ status: 0, body: {} }));

async function until(server: ServeProcess, status: number, what: string) {
  return eventually(async () => {
    const answer = await readyz(server);
    return answer.status === status ? answer : false;
  }, `${what} (log: ${server.raw().slice(-2000)})`);
}

function healthz(port: number): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    https
      .get({ host: '127.0.0.1', port, path: '/healthz', servername: 'localhost', rejectUnauthorized: false, agent: false }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
      })
      .on('error', reject);
  });
}

/** The Redis outage cases start a real redis-server; a bare machine has none (they run in CI). */
const withRedis = (name: string) => (REDIS_SERVER_AVAILABLE ? name : `${name} (not run here: redis-server missing)`);

describe('/readyz follows outages', () => {
  it.skipIf(!REDIS_SERVER_AVAILABLE)(withRedis('Redis: ready, killed → 503 naming redis (and /healthz 503), back → ready'), async () => {
    const redis = own(redisServer(await freePort()));
    await redis.start();
    const { server, publicPort } = await serveWith({ REDIS_URL: redis.url });
    const ready = await until(server, 200, 'ready');
    expect(ready.body).toMatchObject({ status: 'ready', checks: { database: 'ok', redis: 'ok' } });
    expect((await server.admin('/livez')).status).toBe(200);

    await redis.stop();
    const down = await until(server, 503, 'not ready while Redis is down');
    expect(down.body).toMatchObject({ error: 'not_ready', failed: ['redis'], checks: { database: 'ok' } });
    expect((await healthz(publicPort)).body).toMatchObject({ error: 'session_store_unavailable' });
    // Alive all the same: an orchestrator must not restart it for Redis's sake.
    expect((await server.admin('/livez')).status).toBe(200);

    await redis.start();
    await until(server, 200, 'ready again once Redis is back');
    expect((await healthz(publicPort)).status).toBe(200);
  }, 240_000);

  it('PostgreSQL: ready, stopped → 503 naming database (and /healthz 503 database_unavailable), back → ready', async () => {
    const postgres = own(await postgresServer(await freePort()));
    await postgres.start();
    const { server, publicPort } = await serveWith({ DATABASE_URL: postgres.url });
    expect((await until(server, 200, 'ready')).body).toMatchObject({ checks: { database: 'ok' } });

    await postgres.stop();
    const down = await until(server, 503, 'not ready while PostgreSQL is down');
    expect(down.body).toMatchObject({ failed: ['database'] });
    expect(await healthz(publicPort)).toMatchObject({ status: 503, body: { error: 'database_unavailable' } });

    await postgres.start();
    await until(server, 200, 'ready again once PostgreSQL is back');
  }, 240_000);

  it.skipIf(!REDIS_SERVER_AVAILABLE)(withRedis('started while Redis is down: admin up and not ready naming redis, retries, ready once Redis comes'), async () => {
    const redis = own(redisServer(await freePort()));
    const { server } = await serveWith({ REDIS_URL: redis.url });
    // First the database (and the PKI) is opened, then Redis is awaited: /readyz says which.
    const waiting = await eventually(async () => {
      const answer = await readyz(server);
      return answer.status === 503 && /redis/.test(String(((answer.body as { checks?: Record<string, string> }).checks)?.startup)) ? answer : false;
    }, `not ready, waiting for redis (log: ${server.raw().slice(-2000)})`);
    expect(waiting.body).toMatchObject({ error: 'not_ready', failed: ['startup'], checks: { database: 'ok' } });
    await eventually(() => server.lines.some((l) => l.msg === 'dependency unreachable at start, retrying' && l.dependency === 'redis'), 'the retry is logged');
    expect((await server.admin('/livez')).status).toBe(200);

    await redis.start();
    expect((await until(server, 200, 'ready once Redis is up')).body).toMatchObject({ checks: { redis: 'ok' } });
  }, 240_000);

  it('gives up after startup.waitSeconds: exits 69, saying why', async () => {
    const { server } = await serveWith({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` }, 'startup: { waitSeconds: 1 }\n');
    expect(await server.exited).toEqual({ code: 69, signal: null });
    expect(server.lines.some((l) => l.msg === 'giving up at start' && l.dependency === 'redis')).toBe(true);
  }, 240_000);
});
