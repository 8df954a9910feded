import type { TLSSocket } from 'node:tls';
import type { Request } from 'express';
import type { PresentedCertificate } from '../authentication/certificate.ts';
import type { SessionAuth } from '../authentication/session-policy.ts';
import type { GatewayLocals } from './kit/locals.ts';
import { proxiedAddress } from './proxy-protocol.ts';

declare module 'express-session' {
  interface SessionData {
    csrf?: string;
    auth?: SessionAuth;
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    /** What the gateway pipeline learns about a request (src/http/kit/locals.ts says which surface sets what). */
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface Locals extends GatewayLocals {}
  }
}

export function presentedCertificate(socket: TLSSocket): PresentedCertificate {
  // The DER only: getPeerCertificate() would also decode every field into a JS object, on each new connection.
  const peer = socket.getPeerX509Certificate?.();
  const der = peer ? new Uint8Array(peer.raw) : null;
  const error = socket.authorizationError;
  return { der, authorized: socket.authorized === true, authorizationError: error ? (typeof error === 'string' ? error : ((error as Error & { code?: string }).code ?? error.message)) : null };
}

/** X-Forwarded-Host/-Port/-For/-Proto as the application receives them: the Host as sent (port kept), the port it names or 443. */
export function forwardedInfo(req: { headers: { host?: string | undefined } } & Parameters<typeof clientIp>[0]): { for: string; host: string; port: string; proto: 'https' } {
  const host = (req.headers.host ?? '').trim().toLowerCase();
  const port = /:(\d+)$/.exec(host)?.[1] ?? '443';
  return { for: clientIp(req) ?? 'unknown', host, port, proto: 'https' };
}

/** The host name a request was sent to, without port, lower case. */
export function requestHost(req: { headers: { host?: string | undefined } }): string {
  return (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
}

/** The client's address: the one a trusted balancer gave (PROXY protocol), else the peer's. */
export function clientIp(req: Request | { socket: { remoteAddress?: string | undefined } }): string | null {
  const proxied = proxiedAddress(req.socket);
  if (proxied) return proxied.address;
  const address = req.socket.remoteAddress ?? null;
  return address?.startsWith('::ffff:') ? address.slice(7) : address;
}
