import type { TLSSocket } from 'node:tls';
import type { Request } from 'express';
import type { ApplicationConfig } from '../config/index.ts';
import type { CertificateContext, PresentedCertificate } from '../authentication/certificate.ts';
import type { SessionAuth } from '../authentication/session-policy.ts';
import type { User } from '../model/index.ts';
import type { Lang } from './i18n/index.ts';
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
    /** What the pipeline learns about a request, stage by stage (res.locals). */
    interface Locals {
      lang: Lang;
      application: ApplicationConfig;
      certificate: CertificateContext;
      auth?: SessionAuth;
      user?: User;
      sessionExpired?: boolean;
    }
  }
}

export function presentedCertificate(socket: TLSSocket): PresentedCertificate {
  const peer = socket.getPeerCertificate?.(false);
  const der = peer && 'raw' in peer && peer.raw ? new Uint8Array(peer.raw) : null;
  const error = socket.authorizationError;
  return { der, authorized: socket.authorized === true, authorizationError: error ? (typeof error === 'string' ? error : ((error as Error & { code?: string }).code ?? error.message)) : null };
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
