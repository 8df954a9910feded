import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Runtime } from '../runtime.ts';
import type { HttpDeps } from './deps.ts';
import { createGateway } from './gateway/app.ts';
import { createPublicApp } from './public/app.ts';
import { createConsoleApp } from './console/app.ts';
import { requestHost } from './context.ts';

export interface Listeners {
  publicPort: number;
  gatewayPort: number;
  close(): Promise<void>;
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

function closeServer(server: https.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Starts the public listener (server TLS) and the gateway (asks for a client certificate, never fails the handshake for it). */
export async function startListeners(runtime: Runtime, options: ListenOptions): Promise<Listeners> {
  const { config, pki } = runtime;
  const tls = { key: pki.server.keyPem, cert: pki.server.chainPem, minVersion: 'TLSv1.2' as const };

  const deps: HttpDeps = { runtime, ...options };
  const publicServer = https.createServer(tls, createPublicApp(deps));
  const gateway = createGateway(deps);
  const consoleApp = createConsoleApp(deps);
  const gatewayServer = https.createServer(
    {
      ...tls,
      ca: pki.trustPem,
      requestCert: true,
      // The page explains a missing or bad certificate; a TLS alert would not.
      rejectUnauthorized: false,
    },
    // The console host is served on the gateway listener (it needs the coordinator's certificate).
    (req, res) => {
      // On the console host, /api/ is the admin API (token + certificate); pages go through the gateway pipeline.
      if (requestHost(req) === config.console.host && req.url?.startsWith('/api/')) consoleApp(req, res);
      else gateway.app(req, res);
    },
  );
  gatewayServer.on('upgrade', (req, socket, head) => gateway.handleUpgrade(req, socket, head));
  // Slowloris guard on both listeners.
  for (const server of [publicServer, gatewayServer]) {
    server.headersTimeout = 30_000;
    server.requestTimeout = 300_000;
    server.keepAliveTimeout = 65_000;
  }

  const publicPort = await listen(publicServer, config.listeners.public.port, config.listeners.public.host);
  let gatewayPort: number;
  try {
    gatewayPort = await listen(gatewayServer, config.listeners.gateway.port, config.listeners.gateway.host);
  } catch (error) {
    await closeServer(publicServer);
    throw error;
  }
  return {
    publicPort,
    gatewayPort,
    async close() {
      gateway.close();
      await Promise.all([closeServer(publicServer), closeServer(gatewayServer)]);
    },
  };
}
