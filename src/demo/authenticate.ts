import type { IncomingMessage } from 'node:http';
import { assertionFailureReason, verifyAssertion } from '../identity/assertion.ts';
import type { AssertionClaims, AssertionFailureReason } from '../identity/assertion.ts';
import type { Clock } from '../shared/clock.ts';
import type { JwksCache } from './jwks-client.ts';

export type RejectionReason = AssertionFailureReason | 'missing' | 'jwks_unavailable';

export type AuthenticationResult = { ok: true; claims: AssertionClaims } | { ok: false; reason: RejectionReason };

export interface AuthenticatorOptions {
  jwks: JwksCache;
  issuer: string;
  audience: string;
  clock: Clock;
  /** Lower-case header name carrying the assertion. */
  headerName: string;
}

function readAssertion(req: IncomingMessage, headerName: string): string | undefined {
  const value = req.headers[headerName];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

async function verifyWith(token: string, options: AuthenticatorOptions, refetchOnUnknownKey: boolean): Promise<AuthenticationResult> {
  let keys;
  try {
    keys = await options.jwks.current();
  } catch {
    return { ok: false, reason: 'jwks_unavailable' };
  }
  try {
    const claims = await verifyAssertion(token, { jwks: keys, issuer: options.issuer, audience: options.audience, clock: options.clock });
    return { ok: true, claims };
  } catch (error) {
    const reason = assertionFailureReason(error);
    if (reason !== 'unknown_key' || !refetchOnUnknownKey) return { ok: false, reason };
    // Key rotation: refetch (rate-limited) and try once more.
    const refreshed = await options.jwks.refresh().catch(() => undefined);
    return refreshed ? verifyWith(token, options, false) : { ok: false, reason };
  }
}

/** Verifies the request's assertion the way any downstream application should. */
export async function authenticateRequest(req: IncomingMessage, options: AuthenticatorOptions): Promise<AuthenticationResult> {
  const token = readAssertion(req, options.headerName);
  if (!token) return { ok: false, reason: 'missing' };
  return verifyWith(token, options, true);
}
