import { once } from 'node:events';
import { STATUS_CODES, createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import { systemClock } from '../shared/clock.ts';
import type { Clock } from '../shared/clock.ts';
import { authenticateRequest } from './authenticate.ts';
import type { AuthenticationResult, AuthenticatorOptions } from './authenticate.ts';
import { JwksCache } from './jwks-client.ts';
import { renderRejectedPage, renderSignedInPage } from './page.tsx';

/**
 * "OpenDRP démo": the downstream application `npm start` puts behind the gateway. It
 * verifies X-Passerelle-Assertion on every request and shows integrators exactly what
 * arrives. Tests use it as the upstream: `/api/whoami`, `/api/echo`, `/ws/echo`.
 */
export interface DemoAppOptions {
  port: number;
  host?: string;
  /** Passerelle's JWKS, fetched over HTTPS. */
  jwksUrl: string;
  /** Expected `iss`: Passerelle's public URL. */
  issuer: string;
  /** Expected `aud`: this application's id. */
  audience?: string;
  /** CA certificate(s) trusted for the JWKS fetch. */
  caPem: string;
  /** Assertion header name, when renamed for this application. */
  assertionHeader?: string;
  clock?: Clock;
}

export interface DemoApp {
  port: number;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8' });
  res.end(html);
}

function rejection(result: AuthenticationResult): { error: 'assertion_invalid'; reason: string } | undefined {
  return result.ok ? undefined : { error: 'assertion_invalid', reason: result.reason };
}

async function handleApi(req: IncomingMessage, res: ServerResponse, pathname: string, result: AuthenticationResult): Promise<void> {
  const refused = rejection(result);
  if (refused) return sendJson(res, 401, refused);
  if (pathname === '/api/whoami' && req.method === 'GET' && result.ok) {
    return sendJson(res, 200, { verified: true, claims: result.claims, headers: req.headers });
  }
  if (pathname === '/api/echo' && req.method === 'POST') {
    // Streams the body straight back: proves the proxy does not buffer.
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': req.headers['content-type'] ?? 'application/octet-stream' });
    return pipeline(req, res);
  }
  sendJson(res, 404, { error: 'not_found' });
}

async function handleRequest(req: IncomingMessage, res: ServerResponse, auth: AuthenticatorOptions): Promise<void> {
  const { pathname } = new URL(req.url ?? '/', 'http://demo.invalid');
  if (pathname === '/healthz') return sendJson(res, 200, { ok: true });
  const result = await authenticateRequest(req, auth);
  if (pathname.startsWith('/api/')) return handleApi(req, res, pathname, result);
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method_not_allowed' });
  if (result.ok) sendHtml(res, 200, renderSignedInPage(result.claims, req.rawHeaders));
  else sendHtml(res, 401, renderRejectedPage(result.reason, req.rawHeaders));
}

function refuseUpgrade(socket: Duplex, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`,
  );
}

function echoMessages(ws: WebSocket): void {
  ws.on('message', (data: RawData, isBinary: boolean) => ws.send(data, { binary: isBinary }));
}

function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, auth: AuthenticatorOptions, wss: WebSocketServer): void {
  socket.on('error', () => socket.destroy());
  const { pathname } = new URL(req.url ?? '/', 'http://demo.invalid');
  if (pathname !== '/ws/echo') return refuseUpgrade(socket, 404, { error: 'not_found' });
  authenticateRequest(req, auth).then(
    (result) => {
      const refused = rejection(result);
      if (refused) return refuseUpgrade(socket, 401, refused);
      wss.handleUpgrade(req, socket, head, echoMessages);
    },
    () => socket.destroy(),
  );
}

export async function startDemoApp(options: DemoAppOptions): Promise<DemoApp> {
  const clock = options.clock ?? systemClock;
  const auth: AuthenticatorOptions = {
    jwks: new JwksCache(options.jwksUrl, options.caPem, clock),
    issuer: options.issuer,
    audience: options.audience ?? 'opendrp',
    clock,
    headerName: (options.assertionHeader ?? 'X-Passerelle-Assertion').toLowerCase(),
  };
  const wss = new WebSocketServer({ noServer: true });
  const server = createServer((req, res) => {
    handleRequest(req, res, auth).catch(() => {
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, { error: 'internal_error' });
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => handleUpgrade(req, socket, head, auth, wss));
  server.listen(options.port, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
