import type { Response } from 'express';
import type { ApplicationConfig } from '../../config/index.ts';
import type { CertificateContext } from '../../authentication/certificate.ts';
import type { SessionAuth } from '../../authentication/session-policy.ts';
import type { User } from '../../model/index.ts';
import type { Lang } from '../i18n/index.ts';

/*
 * res.locals, surface by surface: each surface declares what its middleware sets, and handlers
 * that belong to one surface take that surface's Response. (Express's global `Locals` is the
 * union of them — src/http/context.ts, src/http/portal/locals.ts, src/http/console/ui/locals.ts —
 * so untyped handlers keep compiling; new code should name its surface.)
 */

/** Set on every listener (gateway, portal, public pages) by the language middleware. */
export interface SharedLocals {
  lang: Lang;
}

/** Set by the gateway pipeline, stage by stage, on application hosts and on the console host. */
export interface GatewayLocals extends SharedLocals {
  /** The application this host serves (host table). */
  application: ApplicationConfig;
  /** The client certificate, resolved to its record and owner. */
  certificate: CertificateContext;
  /** The live session bound to that certificate, once signed in. */
  auth?: SessionAuth;
  /** The signed-in account, re-read by the access check (and the console's coordinator check). */
  user?: User;
  /** The session just ended (idle or absolute limit): the login form says so. */
  sessionExpired?: boolean;
}

/** A gateway handler's response: `res.locals` typed as what the pipeline set (any Express Response fits). */
export type GatewayResponse = Response & { locals: GatewayLocals };
