import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { createProxyMiddleware, type RequestHandler } from 'http-proxy-middleware';
import type { ApplicationConfig } from '../config/index.ts';
import { HOP_BY_HOP_HEADERS, connectionListed } from '../identity/index.ts';

export type UpstreamFailure = { status: 502 | 504; code: string };

export interface UpstreamProxy {
  /** Streams the request to the application (bodies are never buffered). */
  handle: RequestHandler;
  /** Proxies an already authorised WebSocket upgrade. */
  upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

/** A refused connection is "down" (502); a silent one is a timeout (504). */
export function classifyUpstreamError(error: NodeJS.ErrnoException): UpstreamFailure {
  const timeout = error.code === 'ETIMEDOUT' || error.code === 'ESOCKETTIMEDOUT' || error.code === 'ECONNABORTED';
  return { status: timeout ? 504 : 502, code: error.code ?? 'upstream_error' };
}

/**
 * The application's hop-by-hop headers describe its connection to us, not ours to the client:
 * forwarded, its `Connection: keep-alive` would override a client's `Connection: close`.
 * http-proxy writes a `Connection` header whatever happens, so it is set to what Node decided
 * for the client's connection.
 */
function settleResponseConnection(proxyRes: http.IncomingMessage, res: http.ServerResponse): void {
  const headers = proxyRes.headers;
  for (const name of [...connectionListed(headers), ...HOP_BY_HOP_HEADERS]) delete headers[name];
  headers.connection = res.shouldKeepAlive ? 'keep-alive' : 'close';
}

/**
 * One proxy per application with a keep-alive agent. Identity headers are set on
 * `req.headers` before this runs (src/identity/headers.ts); http-proxy copies them as they are.
 */
export function createUpstreamProxy(
  app: ApplicationConfig,
  onError: (error: NodeJS.ErrnoException, req: http.IncomingMessage, res: http.ServerResponse | Duplex) => void,
): UpstreamProxy {
  const secure = app.upstream.startsWith('https:');
  const agent = secure ? new https.Agent({ keepAlive: true, maxSockets: 256 }) : new http.Agent({ keepAlive: true, maxSockets: 256 });
  const handle = createProxyMiddleware({
    target: app.upstream,
    agent,
    changeOrigin: false, // the application sees its public host name
    xfwd: false, // X-Forwarded-* are set with the identity headers, not appended to client values
    ws: false, // upgrades are authorised by the gateway first, then passed to upgrade()
    proxyTimeout: 120_000,
    ejectPlugins: true,
    plugins: [
      (server) => {
        server.on('error', (error, req, res) => onError(error, req, res));
        server.on('proxyRes', (proxyRes, _req, res) => settleResponseConnection(proxyRes, res));
      },
    ],
  });
  return {
    handle,
    upgrade: (req, socket, head) => handle.upgrade(req, socket as never, head),
    close: () => agent.destroy(),
  };
}
