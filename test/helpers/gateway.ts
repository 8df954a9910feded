/**
 * A whole Passerelle in the test process: real TLS listeners, real storage, the demo app
 * as upstream, and a client that presents real client certificates.
 */
import https from 'node:https';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IncomingHttpHeaders } from 'node:http';
import { loadConfig, pkiDir, type Config } from '../../src/config/index.ts';
import { openRuntime, sessionSecret, type Runtime } from '../../src/app/runtime.ts';
import { createSessionBackend, type SessionBackend } from '../../src/session/index.ts';
import { loadOrCreateSigningKey, type SigningKey } from '../../src/identity/index.ts';
import { startListeners, type Listeners } from '../../src/http/server.ts';
import { startDemoApp, type DemoApp } from '../../src/demo/app.ts';
import { exportPrivateKeyPem, generateKeyPair } from '../../src/pki/index.ts';
import { ManualClock } from '../../src/shared/clock.ts';
import { logger } from '../../src/shared/logger.ts';
import type { Establishment, User } from '../../src/model/index.ts';
import { dropSchema, freshDatabaseUrl } from './backends.ts';

export const APP_HOST = 'opendrp.localhost';
export const PASSWORD = 'correct horse battery staple';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface ClientCertificate {
  certPem: string;
  keyPem: string;
  serial: string;
  fingerprint: string;
}

export interface Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The request went out on a connection already used (keep-alive). */
  reusedSocket: boolean;
}

export interface RequestOptions {
  method?: string;
  path?: string;
  host?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  cert?: ClientCertificate | null;
  /** Send these cookies (name → value). */
  cookies?: Map<string, string>;
  port?: 'gateway' | 'public';
  /** For a host the server certificate does not cover (on purpose). */
  skipHostnameCheck?: boolean;
  /** A keep-alive agent: several requests on one TLS connection. Default: a new connection per request. */
  agent?: https.Agent;
}

export interface TestGateway {
  config: Config;
  runtime: Runtime;
  clock: ManualClock;
  listeners: Listeners;
  sessions: SessionBackend;
  signingKey: SigningKey;
  upstream: DemoApp | null;
  dataDir: string;
  env: Record<string, string>;
  establishment(name?: string): Promise<Establishment>;
  user(options?: { grant?: boolean; establishmentId?: string | null; givenName?: string; familyName?: string; password?: string | null }): Promise<User>;
  personalCertificate(user: User): Promise<ClientCertificate>;
  collectiveCertificate(establishment: Establishment, label?: string): Promise<ClientCertificate>;
  request(options: RequestOptions): Promise<Response>;
  close(): Promise<void>;
}

export interface GatewayOptions {
  databaseUrl?: string | null;
  redisUrl?: string | null;
  /** Redis key prefix (sessions and rate limits); default: one per gateway. Equal prefixes = replicas of one deployment. */
  redisPrefix?: string;
  /** Point the application at a closed port instead of the demo app. */
  upstreamDown?: boolean;
  overrides?: Record<string, unknown>;
  /** A second replica of `replicaOf`: same database, data directory (PKI, keys, secrets) and Redis prefix; left in place on close. */
  replicaOf?: TestGateway;
}

export async function startTestGateway(options: GatewayOptions = {}): Promise<TestGateway> {
  logger.silence(true);
  const primary = options.replicaOf;
  const dataDir = primary ? primary.dataDir : mkdtempSync(path.join(os.tmpdir(), 'passerelle-gw-'));
  const databaseUrl = primary ? primary.config.database.url : options.databaseUrl ? await freshDatabaseUrl(options.databaseUrl) : null;
  const [publicPort, gatewayPort, upstreamPort] = [await freePort(), await freePort(), await freePort()];
  const clock = new ManualClock(Date.now());
  // The CLI run in another process must see the same database as the server: '' means SQLite even when CI sets DATABASE_URL.
  const env: Record<string, string> = { PASSERELLE_DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '' };
  const config = loadConfig({
    env,
    overrides: {
      publicUrl: `https://localhost:${publicPort}`,
      listeners: { public: { host: '127.0.0.1', port: publicPort }, gateway: { host: '127.0.0.1', port: gatewayPort } },
      redis: { url: options.redisUrl ?? null },
      applications: [{ id: 'opendrp', name: 'OpenDRP', host: APP_HOST, upstream: `http://127.0.0.1:${upstreamPort}` }],
      ...options.overrides,
    },
  });
  const runtime = await openRuntime(config, { clock, createPkiIfMissing: true });
  const sessions = createSessionBackend({ redisUrl: config.redis.url, prefix: options.redisPrefix ?? `passerelle-test:${path.basename(dataDir)}:` });
  await sessions.ready();
  const signingKey = await loadOrCreateSigningKey(pkiDir(config));
  const listeners = await startListeners(runtime, { sessions, sessionSecret: sessionSecret(config, runtime.random), signingKey });
  const upstream = options.upstreamDown
    ? null
    : await startDemoApp({ port: upstreamPort, jwksUrl: `https://127.0.0.1:${publicPort}/.well-known/jwks.json`, issuer: config.publicUrl, audience: 'opendrp', caPem: runtime.pki.chainPem, clock });

  let counter = 0;
  const actor = { name: 'test', ip: null };

  async function bundle(issue: (key: CryptoKey) => Promise<{ pem: string; serial: string; fingerprintSha256: string }>): Promise<ClientCertificate> {
    const keys = await generateKeyPair('ec-p256');
    const record = await issue(keys.publicKey);
    return { certPem: record.pem, keyPem: await exportPrivateKeyPem(keys.privateKey), serial: record.serial, fingerprint: record.fingerprintSha256 };
  }

  const gateway: TestGateway = {
    config,
    runtime,
    clock,
    listeners,
    sessions,
    signingKey,
    upstream,
    dataDir,
    env,
    establishment: (name = 'Centre de test') => runtime.accounts.createEstablishment({ name, referentEmail: 'referent@example.org' }, actor),
    async user(o = {}) {
      counter += 1;
      const { user } = await runtime.accounts.createUser(
        { givenName: o.givenName ?? 'Hélène', familyName: o.familyName ?? `Lefèvre${counter}`, email: `user${counter}@example.org`, establishmentId: o.establishmentId ?? null, password: o.password === undefined ? PASSWORD : o.password },
        actor,
      );
      if (o.grant !== false) await runtime.accounts.addGrant(user.id, 'opendrp', actor);
      return user;
    },
    personalCertificate: (user) => bundle((key) => runtime.authority.issueForUser(user, 'Poste de test', key, actor)),
    collectiveCertificate: (establishment, label = 'Poste accueil') => bundle((key) => runtime.authority.issueCollective(establishment, label, key, actor)),
    request: (o) => send(o, o.port === 'public' ? listeners.publicPort : listeners.gatewayPort, runtime.pki.chainPem),
    async close() {
      await upstream?.close();
      await listeners.close();
      await sessions.close();
      await runtime.close();
      if (primary) return;
      if (databaseUrl) await dropSchema(databaseUrl);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return gateway;
}

function send(o: RequestOptions, port: number, ca: string): Promise<Response> {
  const host = o.host ?? APP_HOST;
  const headers: Record<string, string> = { host, accept: 'text/html', ...o.headers };
  if (o.cookies?.size) headers.cookie = [...o.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port,
        servername: host,
        method: o.method ?? 'GET',
        path: o.path ?? '/',
        headers,
        ca,
        cert: o.cert?.certPem,
        key: o.cert?.keyPem,
        agent: o.agent ?? false,
        ...(o.skipHostnameCheck ? { checkServerIdentity: () => undefined } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (o.cookies) {
            for (const line of res.headers['set-cookie'] ?? []) {
              const [pair] = line.split(';');
              const [name, ...rest] = pair!.split('=');
              const value = rest.join('=');
              if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') o.cookies.delete(name!.trim());
              else o.cookies.set(name!.trim(), value);
            }
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), reusedSocket: req.reusedSocket });
        });
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

/** The data-error-code of a rendered page. */
export function errorCode(body: string): string | null {
  return /data-error-code="([a-z_]+)"/.exec(body)?.[1] ?? null;
}

/** Hidden CSRF token of a rendered form. */
export function csrfOf(body: string): string {
  const token = /name="csrf"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf"/.exec(body);
  if (!token) throw new Error('no csrf field in page');
  return token[1] ?? token[2]!;
}

/** Opens a session like a browser: GET the login form, POST the password; returns the cookie jar. */
export async function signIn(gw: TestGateway, cert: ClientCertificate, password = PASSWORD, identifier?: string): Promise<{ cookies: Map<string, string>; response: Response }> {
  const cookies = new Map<string, string>();
  const form = await gw.request({ path: '/.passerelle/login?next=/api/whoami', cert, cookies });
  if (form.status !== 200) throw new Error(`login form: ${form.status} ${errorCode(form.body)}`);
  const body = new URLSearchParams({ csrf: csrfOf(form.body), password, next: '/api/whoami', ...(identifier ? { identifier } : {}) }).toString();
  const response = await gw.request({ method: 'POST', path: '/.passerelle/login', cert, cookies, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  return { cookies, response };
}

export { dropSchema, freshDatabaseUrl };
