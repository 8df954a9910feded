import type { PresentedCertificate } from '../model/presented-certificate.ts';
import { sha256Hex } from '../shared/hash.ts';
import type { Clock } from '../shared/clock.ts';
import type { AuditEventInput } from '../model/index.ts';
import { sealPrefill } from './prefill.ts';
import type { CpsTrust } from './trust.ts';

/** Why a card could not prefill the form (the `carte` query parameter of /inscription). */
export const CARD_READ_FAILURES = ['absente', 'non-reconnue', 'non-cps', 'expiree', 'revoquee', 'sans-identifiant'] as const;
export type CardReadFailure = (typeof CARD_READ_FAILURES)[number];

/** The registration host's address, for the form's "read my CPS card" link. */
export function registrationHostUrl(host: string, gatewayPort: number): string {
  return `https://${host}${gatewayPort === 443 ? '' : `:${gatewayPort}`}/`;
}

export interface RegistrationEntry {
  /** Absolute URL of the public registration form, with `?cps=<token>` or `?carte=<failure>`. */
  location: string;
  audit: AuditEventInput;
}

export interface RegistrationEntryDeps {
  trust: CpsTrust;
  clock: Clock;
  publicUrl: string;
  key: Uint8Array;
  ttlSeconds: number;
}

/**
 * The CPS registration entry point (journey 1, "prefilled from a CPS card"). The public
 * listener never asks for a client certificate, and TLS 1.3 cannot ask later
 * (no renegotiation), so a dedicated host on the gateway listener — which does ask — reads
 * the card and sends the browser back to the public form with the card's name and RPPS in a
 * short-lived encrypted token. Nothing is stored; the read is audited.
 */
export async function registrationEntry(presented: PresentedCertificate, ip: string | null, deps: RegistrationEntryDeps): Promise<RegistrationEntry> {
  const url = new URL('/inscription', deps.publicUrl);
  const audit = (outcome: 'success' | 'failure', reason: CardReadFailure | null, serial: string | null, details: Record<string, unknown> | null): AuditEventInput => ({
    action: 'registration.cps_read',
    outcome,
    reason,
    ip,
    certificateSerial: serial,
    details,
  });
  const fail = (reason: CardReadFailure, serial: string | null = null, details: Record<string, unknown> | null = null): RegistrationEntry => {
    url.searchParams.set('carte', reason);
    return { location: url.toString(), audit: audit('failure', reason, serial, details) };
  };

  if (!presented.der || presented.der.length === 0) return fail('absente');
  const fingerprint = sha256Hex(presented.der);
  if (!presented.authorized) return fail('non-reconnue', null, { fingerprint, tls: presented.authorizationError });
  const card = await deps.trust.recognise(presented.der, fingerprint);
  if (!card) return fail('non-cps', null, { fingerprint });
  const now = deps.clock.now().getTime();
  if (now >= card.notAfter || now < card.notBefore) return fail('expiree', card.serial, { fingerprint });
  const revocation = deps.trust.revocation(card, now);
  if (revocation === 'revoked' || revocation === 'stale') return fail('revoquee', card.serial, { fingerprint, revocation });
  if (!card.nationalId) return fail('sans-identifiant', card.serial, { fingerprint });

  const token = await sealPrefill({ givenName: card.givenName ?? '', familyName: card.familyName ?? '', rpps: card.nationalId.number }, deps.key, deps.clock, deps.ttlSeconds);
  url.searchParams.set('cps', token);
  return { location: url.toString(), audit: audit('success', null, card.serial, { fingerprint, nationalId: card.nationalId.value, issuer: card.issuer }) };
}
