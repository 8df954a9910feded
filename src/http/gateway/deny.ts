import type { Request, Response } from 'express';
import type { Config } from '../../config/index.ts';
import { DENIAL_STATUS, type DenialReason } from '../../authentication/denials.ts';
import type { CpsDenial } from '../../cps/types.ts';
import { DeniedPage } from '../pages/index.ts';
import { sendJson, sendPage, wantsHtml } from '../respond.ts';

export interface DenialDetails {
  identifier?: string;
  applicationName?: string;
  serial?: string;
  expiredOn?: string;
  /** A CPS card that opens nothing: the page says why and what to do. */
  cps?: CpsDenial | undefined;
}

/** The explanatory page (or JSON with a stable code) for a refused request. */
export function sendDenial(req: Request, res: Response, config: Config, reason: DenialReason, details: DenialDetails = {}): void {
  const status = DENIAL_STATUS[reason];
  if (!wantsHtml(req)) {
    sendJson(res, status, { error: reason });
    return;
  }
  sendPage(
    res,
    status,
    DeniedPage({ lang: res.locals.lang, reason, status, supportContact: config.support.contact, publicUrl: config.publicUrl, registrationUrl: new URL('/inscription', config.publicUrl).toString(), details }),
  );
}
