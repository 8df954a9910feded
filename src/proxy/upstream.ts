import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import type { ApplicationConfig } from '../config/index.ts';
import { HOP_BY_HOP_HEADERS, connectionListed } from '../identity/index.ts';

export type UpstreamFailure = { status: 502 | 504; code: string };

export type UpstreamErrorHandler = (error: NodeJS.ErrnoException, req: http.IncomingMessage, res: http.ServerResponse | Duplex) => void;

export interface UpstreamProxy {
  /** Streams the request to the application and its answer back (bodies are never buffered). */
  forward(req: http.IncomingMessage, res: http.ServerResponse): void;
  /** Proxies an already authorised WebSocket upgrade. */
  upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

const PROXY_TIMEOUT_MS = 120_000;

/** A refused connection is "down" (502); a silent one is a timeout (504). */
export function classifyUpstreamError(error: NodeJS.ErrnoException): UpstreamFailure {
  const timeout = error.code === 'ETIMEDOUT' || error.code === 'ESOCKETTIMEDOUT' || error.code === 'ECONNABORTED';
  return { status: timeout ? 504 : 502, code: error.code ?? 'upstream_error' };
}

/**
 * The application's hop-by-hop headers describe its connection to us, not ours to the client:
 * forwarded, its `Connection: keep-alive` would override a client's `Connection: close`.
 */
function responseHeaders(upstream: http.IncomingMessage, res: http.ServerResponse): http.OutgoingHttpHeaders {
  const headers: http.OutgoingHttpHeaders = { ...upstream.headers };
  for (const name of [...connectionListed(upstream.headers), ...HOP_BY_HOP_HEADERS]) delete headers[name];
  headers.connection = res.shouldKeepAlive ? 'keep-alive' : 'close';
  return headers;
}

function timeoutError(): NodeJS.ErrnoException {
  return Object.assign(new Error('upstream timed out'), { code: 'ETIMEDOUT' });
}

/** The raw 1xx/2xx… head of a response, for a socket that is not an http.ServerResponse (upgrades). */
function rawHead(response: http.IncomingMessage): string {
  const lines = [`HTTP/1.1 ${response.statusCode ?? 502} ${response.statusMessage ?? ''}`];
  for (let i = 0; i < response.rawHeaders.length; i += 2) lines.push(`${response.rawHeaders[i]}: ${response.rawHeaders[i + 1]}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/**
 * One keep-alive connection pool per application (node:http's Agent), requests and answers
 * streamed both ways. Identity headers are set on `req.headers` before this runs
 * (src/http/gateway/identity.ts) and are copied as they are; the application sees its public
 * host name.
 */
export function createUpstreamProxy(app: ApplicationConfig, onError: UpstreamErrorHandler): UpstreamProxy {
  const target = new URL(app.upstream);
  const secure = target.protocol === 'https:';
  const agent = secure ? new https.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 }) : new http.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 });
  const transport = secure ? https : http;
  const base = target.pathname.replace(/\/$/, '');
  const port = target.port || (secure ? 443 : 80);

  function request(req: http.IncomingMessage, withAgent: boolean): http.ClientRequest {
    return transport.request({
      protocol: target.protocol,
      hostname: target.hostname,
      port,
      method: req.method,
      path: base + (req.url ?? '/'),
      headers: req.headers,
      agent: withAgent ? agent : false,
      // Header names as Node lower-cased them; values as the client (and the gateway) set them.
      setHost: false,
    });
  }

  function forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    const upstream = request(req, true);
    let answered = false;
    const fail = (error: NodeJS.ErrnoException) => {
      if (answered) return;
      answered = true;
      upstream.destroy();
      onError(error, req, res);
    };
    upstream.setTimeout(PROXY_TIMEOUT_MS, () => fail(timeoutError()));
    upstream.on('error', fail);
    upstream.on('response', (answer) => {
      answered = true;
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, responseHeaders(answer, res));
      answer.pipe(res);
      answer.on('error', () => res.destroy());
    });
    // The client went away before the answer was complete: free the upstream connection's slot.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.on('error', () => upstream.destroy());
    req.pipe(upstream);
  }

  function upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const upstream = request(req, false);
    let answered = false;
    const fail = (error: NodeJS.ErrnoException) => {
      if (answered) return;
      answered = true;
      upstream.destroy();
      onError(error, req, socket);
    };
    upstream.setTimeout(PROXY_TIMEOUT_MS, () => fail(timeoutError()));
    upstream.on('error', fail);
    upstream.on('response', (answer) => {
      // The application refused the upgrade: its answer goes back as it is.
      answered = true;
      socket.write(rawHead(answer));
      answer.pipe(socket);
    });
    upstream.on('upgrade', (answer, upstreamSocket, upstreamHead) => {
      answered = true;
      upstream.setTimeout(0);
      socket.on('error', () => upstreamSocket.destroy());
      upstreamSocket.on('error', () => socket.destroy());
      socket.on('close', () => upstreamSocket.destroy());
      upstreamSocket.on('close', () => socket.destroy());
      socket.write(rawHead(answer));
      if (upstreamHead.length > 0) socket.write(upstreamHead);
      if (head.length > 0) upstreamSocket.write(head);
      upstreamSocket.pipe(socket);
      socket.pipe(upstreamSocket);
    });
    upstream.end();
  }

  return { forward, upgrade, close: () => agent.destroy() };
}
