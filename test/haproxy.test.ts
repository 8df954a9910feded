/**
 * Issue 13 point 4, end to end: a real HAProxy (Debian package, TCP mode, `send-proxy-v2`) in
 * front of two replicas of the real CLI (`passerelle serve`, child processes) on one shared
 * PostgreSQL (and Redis when REDIS_URL is set). The client connects from 127.0.0.2, HAProxy
 * from 127.0.0.1 (the replicas' only trusted balancer): the audit must name 127.0.0.2. Then one
 * replica is stopped by SIGTERM while requests flow: none may fail.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../src/config/index.ts';
import { openRuntime, type Runtime } from '../src/app/runtime.ts';
import { exportPrivateKeyPem, generateKeyPair } from '../src/pki/index.ts';
import { csrfOf, freePort, PASSWORD } from './helpers/gateway.ts';
import { dropSchema, freshDatabaseUrl } from './helpers/backends.ts';
import { proxiedRequest } from './helpers/proxy-protocol.ts';

const HAPROXY = spawnSync('haproxy', ['-v'], { stdio: 'ignore' }).status === 0;
const title = (name: string) => (HAPROXY ? name : `${name} (not run here: haproxy missing)`);
const APP_HOST = 'opendrp.localhost';
const CLIENT = '127.0.0.2';
const ROOT = path.resolve(import.meta.dirname, '..');

interface Replica {
  child: ChildProcess;
  publicPort: number;
  gatewayPort: number;
  adminPort: number;
  output: string[];
  exited: Promise<number | null>;
}

/** Waits until `check` holds (start-up, not an assertion on time). */
async function until(check: () => Promise<boolean>, what: string, tries = 600): Promise<void> {
  for (let i = 0; i < tries; i += 1) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

const ready = (port: number) =>
  new Promise<boolean>((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/readyz' }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
  });

describe('two replicas behind HAProxy (send-proxy-v2)', () => {
  let work = '';
  let databaseUrl: string | null = null;
  let runtime: Runtime | null = null;
  let config: Config;
  const replicas: Replica[] = [];
  let haproxy: ChildProcess | null = null;
  let front = { public: 0, gateway: 0 };

  async function startReplica(env: Record<string, string>, name: string): Promise<Replica> {
    const [publicPort, gatewayPort, adminPort] = [await freePort(), await freePort(), await freePort()];
    const ports = { PASSERELLE_PUBLIC_PORT: String(publicPort), PASSERELLE_GATEWAY_PORT: String(gatewayPort), PASSERELLE_ADMIN_PORT: String(adminPort) };
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/passerelle.js'), 'serve'], { cwd: ROOT, env: { ...process.env, ...env, ...ports }, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stdout.on('data', (c: Buffer) => output.push(c.toString()));
    child.stderr.on('data', (c: Buffer) => output.push(c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const replica = { child, publicPort, gatewayPort, adminPort, output, exited };
    await until(() => ready(adminPort), `${name} ready (${output.join('').slice(-2000)})`);
    return replica;
  }

  beforeAll(async () => {
    if (!HAPROXY) return;
    work = mkdtempSync(path.join(os.tmpdir(), 'passerelle-haproxy-'));
    const base = process.env.DATABASE_URL;
    if (!base) throw new Error('DATABASE_URL must be set (test/helpers/postgres-setup.ts starts one when unset)');
    databaseUrl = await freshDatabaseUrl(base);
    front = { public: await freePort(), gateway: await freePort() };
    const shared = path.join(work, 'shared.yaml');
    writeFileSync(
      shared,
      JSON.stringify({
        publicUrl: `https://localhost:${front.public}`,
        proxyProtocol: { trustedAddresses: ['127.0.0.1/32'] },
        shutdown: { graceSeconds: 20, delaySeconds: 1 },
        applications: [{ id: 'opendrp', name: 'OpenDRP', host: APP_HOST, upstream: `http://127.0.0.1:${await freePort()}` }],
      }),
    );
    const env = { PASSERELLE_CONFIG: shared, PASSERELLE_DATA_DIR: path.join(work, 'data'), DATABASE_URL: databaseUrl, REDIS_URL: process.env.REDIS_URL ?? '' };
    // The PKI, the schema and a user are made once, here: replicas then start on a ready shared state.
    config = loadConfig({ env });
    runtime = await openRuntime(config, { createPkiIfMissing: true });
    replicas.push(await startReplica(env, 'r1'), await startReplica(env, 'r2'));

    const backend = (name: string, kind: 'publicPort' | 'gatewayPort', balance: string) =>
      [`backend ${name}`, `  balance ${balance}`, '  option httpchk GET /readyz', ...replicas.map((r, i) => `  server r${i + 1} 127.0.0.1:${r[kind]} send-proxy-v2 check port ${r.adminPort} inter 200 fall 1 rise 2`)].join('\n');
    const cfg = [
      'global',
      '  maxconn 512',
      'defaults',
      '  mode tcp',
      '  timeout connect 2s',
      '  timeout client 60s',
      '  timeout server 60s',
      '  retries 3',
      '  option redispatch 1',
      `frontend public\n  bind 127.0.0.1:${front.public}\n  default_backend public_replicas`,
      // Sign-in spans two requests: stick to one replica unless sessions are in Redis.
      `frontend gateway\n  bind 127.0.0.1:${front.gateway}\n  default_backend gateway_replicas`,
      backend('public_replicas', 'publicPort', 'roundrobin'),
      backend('gateway_replicas', 'gatewayPort', process.env.REDIS_URL ? 'roundrobin' : 'source'),
      '',
    ].join('\n');
    writeFileSync(path.join(work, 'haproxy.cfg'), cfg);
    haproxy = spawn('haproxy', ['-db', '-f', path.join(work, 'haproxy.cfg')], { stdio: ['ignore', 'ignore', 'pipe'] });
    const jwks = () => proxiedRequest({ port: front.public, header: null, host: 'localhost', ca: runtime!.pki.chainPem, path: '/.well-known/jwks.json', localAddress: CLIENT }).then((r) => r.status === 200);
    await until(jwks, 'HAProxy forwarding');
  }, 180_000);

  afterAll(async () => {
    haproxy?.kill('SIGKILL');
    for (const r of replicas) if (r.child.exitCode === null) r.child.kill('SIGKILL');
    await Promise.all(replicas.map((r) => r.exited));
    await runtime?.close();
    if (databaseUrl) await dropSchema(databaseUrl);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it.skipIf(!HAPROXY)(title('sign-in through HAProxy: the audit records the client address, not the balancer'), async () => {
    const rt = runtime!;
    const actor = { name: 'test', ip: null };
    const { user } = await rt.accounts.createUser({ givenName: 'Hélène', familyName: 'Balance', email: 'helene.balance@example.org', establishmentId: null, password: PASSWORD }, actor);
    await rt.accounts.addGrant(user.id, 'opendrp', actor);
    const keys = await generateKeyPair('ec-p256');
    const issued = await rt.authority.issueForUser(user, 'Poste derrière HAProxy', keys.publicKey, actor);
    const cert = { certPem: issued.pem, keyPem: await exportPrivateKeyPem(keys.privateKey) };

    const base = { port: front.gateway, header: null, host: APP_HOST, ca: rt.pki.chainPem, cert, localAddress: CLIENT };
    const cookies = new Map<string, string>();
    const form = await proxiedRequest({ ...base, path: '/.passerelle/login?next=/', cookies });
    expect(form.status).toBe(200);
    const body = new URLSearchParams({ csrf: csrfOf(form.body), password: PASSWORD, next: '/' }).toString();
    const login = await proxiedRequest({ ...base, method: 'POST', path: '/.passerelle/login', cookies, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect([302, 303]).toContain(login.status);

    const events = await rt.storage.audit.list({ action: 'gateway.login', subject: user.identifier, limit: 10 });
    const success = events.find((e) => e.outcome === 'success');
    expect(success?.ip).toBe(CLIENT);
    expect(events.map((e) => e.ip)).not.toContain('127.0.0.1');
  });

  it.skipIf(!HAPROXY)(title('one replica drained by SIGTERM while requests flow: 0 failed requests'), async () => {
    const rt = runtime!;
    let done = 0;
    const failures: string[] = [];
    let stop = false;
    const worker = async () => {
      while (!stop) {
        try {
          const r = await proxiedRequest({ port: front.public, header: null, host: 'localhost', ca: rt.pki.chainPem, path: '/.well-known/jwks.json', localAddress: CLIENT });
          if (r.status !== 200) failures.push(`status ${r.status}`);
        } catch (error) {
          failures.push((error as Error).message);
        }
        done += 1;
      }
    };
    const workers = Array.from({ length: 6 }, worker);
    await until(() => Promise.resolve(done >= 60), '60 requests before the stop');
    const [first] = replicas as [Replica];
    first.child.kill('SIGTERM');
    const code = await first.exited;
    const after = done;
    await until(() => Promise.resolve(done >= after + 60), '60 requests after the stop');
    stop = true;
    await Promise.all(workers);
    expect(code).toBe(0);
    expect(failures).toEqual([]);
    expect(done).toBeGreaterThanOrEqual(120);
  });
});
