/**
 * Passerelle as a bench target: a throw-away data directory set up through the CLI (PKI, one
 * active clinician with a grant and a personal certificate), then `passerelle serve`, then a
 * signed-in session opened like a browser (login form, CSRF, password).
 */
import { execFileSync } from 'node:child_process';
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
  clientCert: string;
  clientKey: string;
  rootCa: string;
  serverChain: string;
  serverKey: string;
  chain: string;
  serial: string;
}

export interface PasserelleSetup {
  dir: string;
  upstreamPort: number;
  publicPort: number;
  gatewayPort: number;
  /** Extra YAML appended to the bench configuration (e.g. `workers: 2`). */
  extraConfig?: string;
}

function cli(env: NodeJS.ProcessEnv, args: string[], input?: string): string {
  return execFileSync(process.execPath, [BIN, ...args], { env, input, cwd: ROOT, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

export function preparePasserelle(setup: PasserelleSetup): PasserelleTarget {
  mkdirSync(setup.dir, { recursive: true });
  const config = path.join(setup.dir, 'passerelle.yaml');
  writeFileSync(
    config,
    `dataDir: ${setup.dir}/data
publicUrl: https://localhost:${setup.publicPort}
listeners:
  public: { host: 127.0.0.1, port: ${setup.publicPort} }
  gateway: { host: 127.0.0.1, port: ${setup.gatewayPort} }
pki:
  serverHosts: [localhost, ${APP_HOST}]
applications:
  - id: bench
    name: Bench
    host: ${APP_HOST}
    upstream: http://127.0.0.1:${setup.upstreamPort}
${setup.extraConfig ?? ''}`,
  );
  const env: NodeJS.ProcessEnv = { ...process.env, PASSERELLE_CONFIG: config, NODE_ENV: 'production', PASSERELLE_MODE: 'development' };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
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
    clientCert: path.join(out, 'cert.pem'),
    clientKey: path.join(out, 'key.pem'),
    rootCa: path.join(pki, 'root-ca.pem'),
    serverChain: fullChain(pki, setup.dir),
    serverKey: path.join(pki, 'server.key.pem'),
    chain: path.join(pki, 'chain.pem'),
    serial: issued.serial,
  };
}

export function startPasserelle(target: PasserelleTarget): Promise<Started> {
  return start(process.execPath, [BIN, 'serve'], { env: target.env, cwd: ROOT, label: 'passerelle', port: target.gatewayPort, timeoutMs: 120_000 });
}

export function revoke(target: PasserelleTarget): void {
  cli(target.env, ['cert', 'revoke', target.serial, '--reason', 'keyCompromise']);
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
