/**
 * `passerelle serve` as a real child process (bin/passerelle.js, TypeScript sources), for the
 * tests of start-up, readiness and graceful stop: its JSON log lines, its admin listener, and
 * HTTPS requests with client certificates to its listeners. No timings: `eventually` polls.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/passerelle.js');

export interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

export interface ServeProcess {
  child: ChildProcess;
  /** Every JSON line written so far (stderr), parsed; `raw` has everything, parsed or not. */
  lines: LogLine[];
  raw(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** GET on the admin listener. */
  admin(pathname: string): Promise<{ status: number; body: Record<string, unknown> & { text?: string } }>;
  kill(): void;
}

/** Resolves once `predicate` holds, polling; rejects after `limitMs` (generous: not a performance check). */
export async function eventually<T>(predicate: () => Promise<T | false> | T | false, what: string, limitMs = 120_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await predicate();
    if (value !== false) return value;
    if (Date.now() > deadline) throw new Error(`still not true after ${limitMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

export function startServe(env: Record<string, string>, adminPort: number): ServeProcess {
  const child = spawn(process.execPath, [BIN, 'serve'], { cwd: ROOT, env: { ...process.env, PASSERELLE_COMPILED: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: LogLine[] = [];
  let raw = '';
  let pending = '';
  const take = (chunk: Buffer) => {
    raw += chunk.toString();
    pending += chunk.toString();
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      try {
        lines.push(JSON.parse(line) as LogLine);
      } catch {
        // not JSON: kept in raw, which the tests check too
      }
    }
  };
  child.stderr.on('data', take);
  child.stdout.on('data', (chunk: Buffer) => (raw += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    lines,
    raw: () => raw,
    exited,
    admin: (pathname) =>
      new Promise((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port: adminPort, path: pathname, agent: false }, (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () => {
              let body: Record<string, unknown> & { text?: string };
              try {
                body = JSON.parse(text) as Record<string, unknown>;
              } catch {
                body = { text };
              }
              resolve({ status: res.statusCode ?? 0, body });
            });
          })
          .on('error', reject);
      }),
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

export interface TlsResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A whole answer, its Set-Cookie lines written into `cookies`. */
export function collectAnswer(res: IncomingMessage, cookies?: Map<string, string>): Promise<TlsResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => {
      for (const line of res.headers['set-cookie'] ?? []) {
        const [pair] = line.split(';');
        const [name, ...rest] = pair!.split('=');
        cookies?.set(name!.trim(), rest.join('='));
      }
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
    });
    res.on('error', reject);
  });
}

/** One HTTPS request with a client certificate and a cookie jar (updated from Set-Cookie). */
export function tlsRequest(
  o: { port: number; host: string; ca: string; cert?: { certPem: string; keyPem: string }; method?: string; path?: string; headers?: Record<string, string>; body?: string; cookies?: Map<string, string> },
): Promise<TlsResponse> {
  const headers: Record<string, string> = { host: o.host, accept: 'text/html', ...o.headers };
  if (o.cookies?.size) headers.cookie = [...o.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: '127.0.0.1', port: o.port, servername: o.host, method: o.method ?? 'GET', path: o.path ?? '/', headers, ca: o.ca, cert: o.cert?.certPem, key: o.cert?.keyPem, agent: false },
      (res) => collectAnswer(res, o.cookies).then(resolve, reject),
    );
    req.on('error', reject);
    req.end(o.body);
  });
}
