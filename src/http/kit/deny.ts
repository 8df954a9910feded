import type { Request, Response } from 'express';
import type { TLSSocket } from 'node:tls';
import type { Config } from '../../config/index.ts';
import { DENIAL_STATUS, type DenialReason } from '../../authentication/denials.ts';
import type { CpsDenial } from '../../cps/types.ts';
import { DeniedPage } from '../pages/index.ts';
import { sendJson, sendPage, wantsHtml } from '../respond.ts';

export interface DenialDetails {
  identifier?: string;
  applicationName?: string;
  serial?: string;
  /** YYYY-MM-DD or ISO; the page formats it in the reader's language. */
  expiredOn?: string;
  /** A CPS card that opens nothing: the page says why and what to do. */
  cps?: CpsDenial | undefined;
}

/** The explanatory page (or JSON with a stable code) for a refused request. */
export function sendDenial(req: Request, res: Response, config: Config, reason: DenialReason, details: DenialDetails = {}): void {
  const status = DENIAL_STATUS[reason];
  // The page promises the serial number and expiry date of the certificate: read them off the one presented.
  if (CERTIFICATE_REASONS.has(reason)) {
    const presented = presentedCertificate(req);
    details = { ...details, serial: details.serial ?? presented.serial, expiredOn: details.expiredOn ?? presented.notAfter };
  }
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

const CERTIFICATE_REASONS = new Set<DenialReason>(['untrusted_certificate', 'certificate_expired', 'certificate_not_yet_valid', 'certificate_revoked', 'certificate_unknown']);

/** Serial and expiry of the client certificate of this connection, when there is one (even one we refused). */
function presentedCertificate(req: Request): { serial?: string; notAfter?: string } {
  try {
    const certificate = (req.socket as Partial<TLSSocket>).getPeerX509Certificate?.();
    if (!certificate) return {};
    const notAfter = new Date(certificate.validTo);
    return { serial: certificate.serialNumber.toLowerCase(), ...(Number.isNaN(notAfter.getTime()) ? {} : { notAfter: notAfter.toISOString() }) };
  } catch {
    return {};
  }
}
