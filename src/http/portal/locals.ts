import type { Response } from 'express';
import type { User } from '../../model/index.ts';
import type { SharedLocals } from '../kit/locals.ts';

/** Set by the portal's session middleware (src/http/portal/session.ts) on the public listener. */
export interface PortalLocals extends SharedLocals {
  /** The signed-in portal user, re-read on every request. */
  portalUser?: User;
  /** The portal session just ended (idle or absolute limit). */
  portalSessionExpired?: boolean;
}

/** A portal handler's response: `res.locals` typed as what the portal set (any Express Response fits). */
export type PortalResponse = Response & { locals: PortalLocals };

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface Locals extends PortalLocals {}
  }
}
