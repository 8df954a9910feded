/**
 * Login cost: the gateway's POST /.passerelle/login (personal certificate + password →
 * argon2id verify, lockout bookkeeping, audit row, session regenerate + save), over one
 * keep-alive TLS connection so no handshake is timed. The argon2id verify alone is
 * measured too, to split the figure.
 */
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import type { IncomingHttpHeaders } from 'node:http';
import { verifyPassword } from '../../src/authentication/password.ts';
import type { User } from '../../src/model/index.ts';
import { APP_HOST, PASSWORD, csrfOf, type ClientCertificate, type TestGateway } from '../../test/helpers/gateway.ts';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function send(agent: https.Agent, port: number, method: string, path: string, jar: Map<string, string>, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  const all: Record<string, string> = { host: APP_HOST, accept: 'text/html', ...headers };
  if (jar.size) all.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, method, path, headers: all, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        for (const line of res.headers['set-cookie'] ?? []) {
          const [pair = ''] = line.split(';');
          const [name = '', ...rest] = pair.split('=');
          jar.set(name.trim(), rest.join('='));
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export interface LoginSamples {
  /** POST /.passerelle/login round trip, ms (the GET of the form before it is not timed). */
  loginPostMs: number[];
  /** verifyPassword() alone on the same hash, ms. */
  argon2VerifyMs: number[];
}

export async function measureLogins(gw: TestGateway, user: User, cert: ClientCertificate, samples: number, warmup: number): Promise<LoginSamples> {
  const argon2VerifyMs: number[] = [];
  for (let i = 0; i < warmup + samples; i += 1) {
    const start = performance.now();
    const ok = await verifyPassword(user.passwordHash, PASSWORD);
    const elapsed = performance.now() - start;
    if (!ok) throw new Error('argon2 verify: password refused');
    if (i >= warmup) argon2VerifyMs.push(elapsed);
  }

  const agent = new https.Agent({ keepAlive: true, maxSockets: 1, cert: cert.certPem, key: cert.keyPem, ca: gw.runtime.pki.chainPem, servername: APP_HOST });
  const port = gw.listeners.gatewayPort;
  const loginPostMs: number[] = [];
  try {
    for (let i = 0; i < warmup + samples; i += 1) {
      const jar = new Map<string, string>();
      const form = await send(agent, port, 'GET', '/.passerelle/login?next=/api/whoami', jar);
      if (form.status !== 200) throw new Error(`login form: HTTP ${form.status}`);
      const body = new URLSearchParams({ csrf: csrfOf(form.body), password: PASSWORD, next: '/api/whoami' }).toString();
      const start = performance.now();
      const done = await send(agent, port, 'POST', '/.passerelle/login', jar, { 'content-type': 'application/x-www-form-urlencoded' }, body);
      const elapsed = performance.now() - start;
      if (done.status !== 303 || done.headers.location !== '/api/whoami') throw new Error(`login POST: HTTP ${done.status} → ${done.headers.location ?? '(no location)'}`);
      if (i >= warmup) loginPostMs.push(elapsed);
    }
  } finally {
    agent.destroy();
  }
  return { loginPostMs, argon2VerifyMs };
}
