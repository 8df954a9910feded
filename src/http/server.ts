import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { Runtime } from '../core/runtime.ts';
import type { HttpDeps } from './deps.ts';
import { createGateway } from './gateway/app.ts';
import { createPublicApp } from './public/app.ts';
import { createConsoleApp } from './console/app.ts';
import { clientIp, presentedCertificate, requestHost } from './context.ts';
import { CpsTrust, prefillKey, registerCpsTrust, registrationEntry, unregisterCpsTrust } from '../cps/index.ts';
import { baselineHeaders } from './security-headers.ts';
import { hasOriginFormTarget, refuseRequestTarget } from './request-target.ts';
import { TLS_PROTOCOL, clearStaleVerifyError } from './tls.ts';
import { ServerCertificates, serverKeyPair } from './server-certificate.ts';
import { logger } from '../shared/logger.ts';

export interface Listeners {
  publicPort: number;
  gatewayPort: number;
  close(): Promise<void>;
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

/** What both listeners do first: the baseline security headers on every response, then only origin-form targets go on. */
function front(handler: Handler): Handler {
  return (req, res) => {
    baselineHeaders(res);
    if (!hasOriginFormTarget(req)) refuseRequestTarget(res);
    else handler(req, res);
  };
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
  const publicServer = https.createServer({ ...publicBase, ...serverKeyPair('public', config.listeners.public.tls, publicBase, ownPair) }, front(createPublicApp(deps)));
  const gateway = createGateway(deps);
  const consoleApp = createConsoleApp(deps);
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
    // The console host is served on the gateway listener (it needs the coordinator's certificate).
    front((req, res) => {
      const host = requestHost(req);
      // On the console host, /api/ is the admin API (token + certificate); pages go through the gateway pipeline.
      if (host === config.console.host && req.url?.startsWith('/api/')) consoleApp(req, res);
      else if (cpsRegistration && host === config.cps.registrationHost) cpsRegistration(req, res);
      else gateway.app(req, res);
    }),
  );
  gatewayServer.on('secureConnection', clearStaleVerifyError);
  gatewayServer.on('upgrade', (req, socket, head) => gateway.handleUpgrade(req, socket, head));
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
  };
}

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
