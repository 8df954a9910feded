import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { Runtime } from '../core/runtime.ts';
import type { HttpDeps } from './deps.ts';
import { createGateway } from './gateway/app.ts';
import { shareTicketKeys } from './tls-tickets.ts';
import { createPublicApp } from './public/app.ts';
import { createConsoleApp } from './console/app.ts';
import { clientIp, presentedCertificate, requestHost } from './context.ts';
import { CpsTrust, prefillKey, registerCpsTrust, registrationEntry, unregisterCpsTrust } from '../cps/index.ts';
import { baselineHeaders } from './security-headers.ts';
import { hasOriginFormTarget, refuseRequestTarget } from './request-target.ts';
import { TLS_PROTOCOL, clearStaleVerifyError } from './tls.ts';
import { ServerCertificates, serverKeyPair } from './server-certificate.ts';
import { acceptProxyProtocol, trustedPeers } from './proxy-protocol.ts';
import { trackRequest, type RequestLabels } from './access-log.ts';
import { runInRequestContext } from '../shared/request-context.ts';
import { logger } from '../shared/logger.ts';
import type { Socket } from 'node:net';

export interface Listeners {
  publicPort: number;
  gatewayPort: number;
  /** Closes at once: open connections are cut (tests, failed start). */
  close(): Promise<void>;
  /**
   * Graceful stop: accepts nothing new, closes idle keep-alive connections, lets in-flight
   * requests and WebSockets finish for up to `graceMs`, then cuts what is left.
   */
  drain(graceMs: number): Promise<void>;
  /** Server certificates read from files (`listeners.*.tls`): `reload()` (also on SIGHUP), events `reloaded`/`failed`. */
  certificates: ServerCertificates;
}

export type ListenOptions = Omit<HttpDeps, 'runtime'>;

function listen(server: https.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** One listener's connections, so a drain can close the idle ones and, at the deadline, all (WebSockets included). */
interface Tracked {
  server: https.Server;
  sockets: Set<Socket>;
  draining: boolean;
}

function tracked(server: https.Server): Tracked {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return { server, sockets, draining: false };
}

/**
 * What both listeners do first: a request id, the access line and metrics when the answer is
 * done (src/http/access-log.ts), the baseline security headers, then only origin-form targets
 * go on. While draining, each answer closes its connection.
 */
function front(listener: Tracked, labelsOf: (req: IncomingMessage) => RequestLabels, handler: Handler): Handler {
  const afterDrainingAnswer = () => setImmediate(() => listener.server.closeIdleConnections());
  return (req, res) => {
    const context = trackRequest(req, res, labelsOf(req), () => {
      if (listener.draining) afterDrainingAnswer();
    });
    if (listener.draining) res.setHeader('Connection', 'close');
    baselineHeaders(res);
    if (!hasOriginFormTarget(req)) refuseRequestTarget(res);
    else runInRequestContext(context, () => handler(req, res));
  };
}

/**
 * Express's own final handler prints stack traces to stderr; an error that gets past our error
 * handlers ends here instead: one JSON log line, a bare 500.
 */
function lastResort(req: IncomingMessage, res: ServerResponse): (error?: unknown) => void {
  return (error) => {
    if (error) logger.error('unhandled request error', { path: req.url?.split('?')[0], error: error instanceof Error ? error.message : typeof error === 'string' ? error : 'non-error value' });
    if (res.headersSent) {
      if (!res.writableEnded) res.destroy();
      return;
    }
    const status = error ? 500 : 404;
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({ error: error ? 'internal_error' : 'not_found' }));
  };
}

function drainServer(listener: Tracked, graceMs: number): Promise<void> {
  listener.draining = true;
  return new Promise((resolve) => {
    const deadline = setTimeout(() => {
      if (listener.sockets.size > 0) logger.warn('grace period over: closing connections still open', { connections: listener.sockets.size });
      listener.server.closeAllConnections();
      for (const socket of listener.sockets) socket.destroy();
    }, graceMs);
    listener.server.close(() => {
      clearTimeout(deadline);
      resolve();
    });
    listener.server.closeIdleConnections();
  });
}

function closeServer(server: https.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Starts the public listener (server TLS) and the gateway (asks for a client certificate, never fails the handshake for it). */
export async function startListeners(runtime: Runtime, options: ListenOptions): Promise<Listeners> {
  const { config, pki } = runtime;
  // Each listener's server certificate: the operator's files (any CA) or the PKI's own.
  const ownPair = { key: pki.server.keyPem, cert: pki.server.chainPem };
  const publicBase = { ...TLS_PROTOCOL };

  const deps: HttpDeps = { runtime, ...options };
  // CPS cards: the gateway also trusts the configured IGC-Santé-shaped CAs; resolveCertificate finds the trust by storage.
  const cps = config.cps.enabled ? await CpsTrust.open(config.cps) : null;
  if (cps) registerCpsTrust(runtime.storage, cps);
  const cpsRegistration = cps ? cpsRegistrationHandler(runtime, cps, prefillKey(options.sessionSecret)) : null;
  const publicApp = createPublicApp(deps);
  const publicServer = https.createServer({ ...publicBase, ...serverKeyPair('public', config.listeners.public.tls, publicBase, ownPair) });
  const publicTracked = tracked(publicServer);
  publicServer.on('request', front(publicTracked, () => PUBLIC_LABELS, (req, res) => publicApp(req as never, res as never, lastResort(req, res))));
  const gateway = createGateway(deps);
  const consoleApp = createConsoleApp(deps);
  const applicationIds = new Map(config.applications.map((a) => [a.host, a.id]));
  const gatewayLabels = (req: IncomingMessage): RequestLabels => {
    const host = requestHost(req);
    if (host === config.console.host) return CONSOLE_LABELS;
    if (cps && host === config.cps.registrationHost) return CPS_LABELS;
    return { surface: 'gateway', app: applicationIds.get(host) ?? '-' };
  };
  // Client certificates are checked against our CA (and CPS anchors) whatever signed the server's.
  const gatewayBase = { ...TLS_PROTOCOL, ca: cps ? [pki.trustPem, ...cps.anchorPems] : pki.trustPem };
  const gatewayServer = https.createServer(
    {
      ...gatewayBase,
      ...serverKeyPair('gateway', config.listeners.gateway.tls, gatewayBase, ownPair),
      requestCert: true,
      // The page explains a missing or bad certificate; a TLS alert would not.
      rejectUnauthorized: false,
    },
  );
  const gatewayTracked = tracked(gatewayServer);
  // The console host is served on the gateway listener (it needs the coordinator's certificate).
  gatewayServer.on(
    'request',
    front(gatewayTracked, gatewayLabels, (req, res) => {
      const host = requestHost(req);
      // On the console host, /api/ is the admin API (token + certificate); pages go through the gateway pipeline.
      if (host === config.console.host && req.url?.startsWith('/api/')) consoleApp(req as never, res as never, lastResort(req, res));
      else if (cpsRegistration && host === config.cps.registrationHost) cpsRegistration(req, res);
      else gateway.handle(req, res, lastResort(req, res));
    }),
  );
  gatewayServer.on('secureConnection', clearStaleVerifyError);
  gatewayServer.on('upgrade', (req, socket, head) => gateway.handleUpgrade(req, socket, head));
  // Every worker and replica encrypts session tickets alike: a client resumes wherever it lands (timer unref'd).
  shareTicketKeys([publicServer, gatewayServer], typeof options.sessionSecret === 'string' ? options.sessionSecret : (options.sessionSecret[0] ?? ''));
  // Behind a balancer: the client address comes from its PROXY header (read before the TLS handshake).
  if (config.proxyProtocol.trustedAddresses.length > 0) {
    const balancers = trustedPeers(config.proxyProtocol.trustedAddresses);
    const refused = (peer: string | undefined, reason: string) => logger.warn('connection refused (PROXY protocol)', { peer, reason });
    for (const server of [publicServer, gatewayServer]) acceptProxyProtocol(server, balancers, { refused });
  }
  // Slowloris guard on both listeners.
  for (const server of [publicServer, gatewayServer]) {
    server.headersTimeout = 30_000;
    server.requestTimeout = 300_000;
    server.keepAliveTimeout = 65_000;
  }

  const certificates = new ServerCertificates([
    { listener: 'public', files: config.listeners.public.tls, server: publicServer, base: publicBase },
    { listener: 'gateway', files: config.listeners.gateway.tls, server: gatewayServer, base: gatewayBase },
  ]);
  certificates.on('reloaded', (listener: string) => logger.info('server certificate reloaded', { listener }));
  certificates.on('failed', (listener: string, error: unknown) => logger.warn('server certificate not reloaded: the previous one stays', { listener, error: error instanceof Error ? error.message : String(error) }));

  let publicPort: number;
  let gatewayPort: number;
  try {
    publicPort = await listen(publicServer, config.listeners.public.port, config.listeners.public.host);
    gatewayPort = await listen(gatewayServer, config.listeners.gateway.port, config.listeners.gateway.host);
  } catch (error) {
    certificates.close();
    await Promise.all([closeServer(publicServer), closeServer(gatewayServer)]);
    closeCps();
    throw error;
  }
  function closeCps(): void {
    if (!cps) return;
    unregisterCpsTrust(runtime.storage, cps);
    cps.close();
  }
  return {
    publicPort,
    gatewayPort,
    certificates,
    async close() {
      certificates.close();
      gateway.close();
      await Promise.all([closeServer(publicServer), closeServer(gatewayServer)]);
      closeCps();
    },
    async drain(graceMs) {
      certificates.close();
      await Promise.all([drainServer(publicTracked, graceMs), drainServer(gatewayTracked, graceMs)]);
      gateway.close();
      closeCps();
    },
  };
}

const PUBLIC_LABELS: RequestLabels = { surface: 'public', app: '-' };
const CONSOLE_LABELS: RequestLabels = { surface: 'console', app: '-' };
const CPS_LABELS: RequestLabels = { surface: 'cps', app: '-' };

/**
 * `cps.registrationHost` on the gateway listener: reads the CPS card the browser presents and
 * redirects to the public /inscription, prefilled (see src/cps/registration.ts). No page, no
 * session, no cookie: a GET in, a 303 out.
 */
function cpsRegistrationHandler(runtime: Runtime, trust: CpsTrust, key: Uint8Array): (req: IncomingMessage, res: ServerResponse) => void {
  const { config } = runtime;
  return (req, res) => {
    const headers = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff' };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, allow: 'GET, HEAD', 'content-type': 'application/json' }).end(JSON.stringify({ error: 'method_not_allowed' }));
      return;
    }
    void (async () => {
      const entry = await registrationEntry(presentedCertificate(req.socket as TLSSocket), clientIp(req), {
        trust,
        clock: runtime.clock,
        publicUrl: config.publicUrl,
        key,
        ttlSeconds: config.cps.prefillTtlSeconds,
      });
      await runtime.auditor.record(entry.audit);
      res.writeHead(303, { ...headers, location: entry.location }).end();
    })().catch(() => {
      if (!res.headersSent) res.writeHead(503, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify({ error: 'unavailable' }));
    });
  };
}
