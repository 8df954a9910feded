/**
 * Passerelle as a bench target: a throw-away data directory set up through the CLI (PKI, one
 * active clinician with a grant and a personal certificate), then `passerelle serve`, then a
 * signed-in session opened like a browser (login form, CSRF, password). A replica is a second
 * configuration file on the same data directory (same store, PKI, user and certificate) with
 * its own ports, workers and environment (REDIS_URL).
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { start, type Started } from './processes.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'passerelle.js');
export const APP_HOST = 'bench.localhost';
const PASSWORD = 'Banc-d-essai-2026!';

export interface PasserelleTarget {
  dir: string;
  env: NodeJS.ProcessEnv;
  gatewayPort: number;
  /** Processes serving the listeners (`workers`): the start waits until each one listens. */
  workers: number;
  clientCert: string;
  clientKey: string;
  rootCa: string;
  serverChain: string;
  serverKey: string;
  chain: string;
  serial: string;
  upstreamPort: number;
}

export interface PasserelleSetup {
  dir: string;
  upstreamPort: number;
  publicPort: number;
  gatewayPort: number;
  /** Admin listener (/livez, /readyz, /metrics): a free port, never the default 9464 another run may hold. */
  adminPort: number;
}

export interface ReplicaSetup {
  /** Where its configuration file goes (the data directory stays the first instance's). */
  configDir: string;
  publicPort: number;
  gatewayPort: number;
  adminPort: number;
  workers: number;
  /** Variables added to its environment (REDIS_URL). */
  env: NodeJS.ProcessEnv;
}

function cli(env: NodeJS.ProcessEnv, args: string[], input?: string): string {
  return execFileSync(process.execPath, [BIN, ...args], { env, input, cwd: ROOT, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

interface ConfigFile {
  file: string;
  dataDir: string;
  upstreamPort: number;
  publicPort: number;
  gatewayPort: number;
  adminPort: number;
  workers: number;
}

function writeConfig(c: ConfigFile): void {
  writeFileSync(
    c.file,
    `dataDir: ${c.dataDir}
publicUrl: https://localhost:${c.publicPort}
listeners:
  public: { host: 127.0.0.1, port: ${c.publicPort} }
  gateway: { host: 127.0.0.1, port: ${c.gatewayPort} }
  admin: { host: 127.0.0.1, port: ${c.adminPort} }
workers: ${c.workers}
pki:
  serverHosts: [localhost, ${APP_HOST}]
applications:
  - id: bench
    name: Bench
    host: ${APP_HOST}
    upstream: http://127.0.0.1:${c.upstreamPort}
`,
  );
}

/** The bench's own environment: SQLite in the data directory, no Redis unless a replica is given one. */
function baseEnv(config: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PASSERELLE_CONFIG: config, NODE_ENV: 'production', PASSERELLE_MODE: 'development' };
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'PASSERELLE_WORKERS', 'PASSERELLE_ADMIN_PORT']) delete env[name];
  return env;
}

export function preparePasserelle(setup: PasserelleSetup): PasserelleTarget {
  mkdirSync(setup.dir, { recursive: true });
  const config = path.join(setup.dir, 'passerelle.yaml');
  writeConfig({ file: config, dataDir: path.join(setup.dir, 'data'), upstreamPort: setup.upstreamPort, publicPort: setup.publicPort, gatewayPort: setup.gatewayPort, adminPort: setup.adminPort, workers: 1 });
  const env = baseEnv(config);
  cli(env, ['pki', 'init']);
  cli(env, ['user', 'create', '--given-name', 'Banc', '--family-name', 'Essai', '--email', 'banc.essai@esante.localhost', '--password-stdin'], PASSWORD);
  cli(env, ['grant', 'add', '--user', 'banc.essai', '--app', 'bench']);
  const out = path.join(setup.dir, 'client');
  const issued = JSON.parse(cli(env, ['--json', 'cert', 'issue', '--user', 'banc.essai', '--label', 'Banc', '--out', out])) as { serial: string };
  const pki = path.join(setup.dir, 'data', 'pki');
  return {
    dir: setup.dir,
    env,
    gatewayPort: setup.gatewayPort,
    workers: 1,
    upstreamPort: setup.upstreamPort,
    clientCert: path.join(out, 'cert.pem'),
    clientKey: path.join(out, 'key.pem'),
    rootCa: path.join(pki, 'root-ca.pem'),
    serverChain: fullChain(pki, setup.dir),
    serverKey: path.join(pki, 'server.key.pem'),
    chain: path.join(pki, 'chain.pem'),
    serial: issued.serial,
  };
}

/** A second instance on the same data directory: another configuration file, other ports, its own workers and environment. */
export function prepareReplica(first: PasserelleTarget, setup: ReplicaSetup): PasserelleTarget {
  mkdirSync(setup.configDir, { recursive: true });
  const config = path.join(setup.configDir, 'passerelle.yaml');
  writeConfig({ file: config, dataDir: path.join(first.dir, 'data'), upstreamPort: first.upstreamPort, publicPort: setup.publicPort, gatewayPort: setup.gatewayPort, adminPort: setup.adminPort, workers: setup.workers });
  return { ...first, env: { ...baseEnv(config), ...setup.env }, gatewayPort: setup.gatewayPort, workers: setup.workers };
}

/** Node's flags in the production start-ups (Dockerfile ENTRYPOINT, deploy/passerelle.service): the bench runs Passerelle as they do. */
const PRODUCTION_NODE_FLAGS = ['--max-semi-space-size=8'];

/** `passerelle serve`, ready once every worker has logged 'listening' (with workers, the port opens with the first one). */
export function startPasserelle(target: PasserelleTarget, label = 'passerelle'): Promise<Started> {
  const listening = new RegExp(Array.from({ length: target.workers }, () => '"msg":"listening"').join('[\\s\\S]*'));
  return start(process.execPath, [...PRODUCTION_NODE_FLAGS, BIN, 'serve'], { env: target.env, cwd: ROOT, label, ready: listening, timeoutMs: 120_000 });
}

/** `passerelle cert revoke` in another process, without blocking this one (its connections keep going meanwhile); resolves when the CLI has exited. */
export function revoke(target: PasserelleTarget): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BIN, 'cert', 'revoke', target.serial, '--reason', 'keyCompromise'], { env: target.env, cwd: ROOT }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`passerelle cert revoke: ${error.message} ${stderr}`));
      else resolve();
    });
  });
}

/** When the store says the bench certificate was revoked (epoch ms), read with `passerelle --json cert list`. */
export function revokedAt(target: PasserelleTarget): number | null {
  const listed = JSON.parse(cli(target.env, ['--json', 'cert', 'list', '--status', 'revoked'])) as { items?: Array<{ serial: string; revokedAt: string | null }>; result?: { items?: Array<{ serial: string; revokedAt: string | null }> } };
  const at = (listed.items ?? listed.result?.items ?? []).find((c) => c.serial === target.serial)?.revokedAt;
  return at ? Date.parse(at) : null;
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function request(target: PasserelleTarget, method: string, pathname: string, cookies: Map<string, string>, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port: target.gatewayPort,
        servername: APP_HOST,
        method,
        path: pathname,
        ca: readFileSync(target.rootCa),
        cert: readFileSync(target.clientCert),
        key: readFileSync(target.clientKey),
        headers: {
          host: APP_HOST,
          cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
          ...(body ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          for (const line of res.headers['set-cookie'] ?? []) {
            const [pair] = line.split(';');
            const at = pair!.indexOf('=');
            cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Opens a session as a browser would; returns the Cookie header for the load generator. */
export async function signIn(target: PasserelleTarget): Promise<string> {
  const cookies = new Map<string, string>();
  const form = await request(target, 'GET', '/.passerelle/login?next=%2Fsmall', cookies);
  const csrf = /name="csrf"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf"/.exec(form.body);
  if (form.status !== 200 || !csrf) throw new Error(`login form: ${form.status}`);
  const posted = await request(target, 'POST', '/.passerelle/login', cookies, new URLSearchParams({ csrf: csrf[1] ?? csrf[2]!, password: PASSWORD, next: '/small' }).toString());
  if (posted.status !== 303) throw new Error(`login: ${posted.status} ${posted.body.slice(0, 300)}`);
  const check = await request(target, 'GET', '/small', cookies);
  if (check.status !== 200) throw new Error(`signed-in GET /small: ${check.status}`);
  return [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}

/** server.pem + issuing-ca.pem in one file, for nginx's ssl_certificate. */
function fullChain(pki: string, dir: string): string {
  const file = path.join(dir, 'server-fullchain.pem');
  writeFileSync(file, `${readFileSync(path.join(pki, 'server.pem'), 'utf8').trim()}\n${readFileSync(path.join(pki, 'issuing-ca.pem'), 'utf8').trim()}\n`);
  return file;
}
