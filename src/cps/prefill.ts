import { hkdfSync } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';
import type { Clock } from '../shared/clock.ts';

/** What a CPS card (or Pro Santé Connect) can fill in on the registration form; the person checks and completes it. */
export interface RegistrationPrefill {
  givenName: string;
  familyName: string;
  /** RPPS (11 digits) or ADELI (9 digits): the registration form's `rpps` field. */
  rpps: string;
  /** A profession, when the source names one (Pro Santé Connect does; a CPS card does not). */
  profession?: string;
}

const AUDIENCE = 'passerelle:registration-prefill';

/** 256-bit key derived from the current session secret (both listeners of every replica share it). */
export function prefillKey(sessionSecret: string | readonly string[]): Uint8Array {
  const current = typeof sessionSecret === 'string' ? sessionSecret : sessionSecret[0]!;
  return new Uint8Array(hkdfSync('sha256', current, 'passerelle', 'cps-registration-prefill', 32));
}

/**
 * The prefill travels in the redirect to the public listener as an encrypted JWT (JWE, dir +
 * A256GCM): authenticated, short-lived, and the name and RPPS stay out of logs and history.
 */
export async function sealPrefill(prefill: RegistrationPrefill, key: Uint8Array, clock: Clock, ttlSeconds: number): Promise<string> {
  const iat = Math.floor(clock.now().getTime() / 1000);
  return new EncryptJWT({ given_name: prefill.givenName, family_name: prefill.familyName, rpps: prefill.rpps, ...(prefill.profession ? { profession: prefill.profession } : {}) })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .encrypt(key);
}

/** The prefill, or null for anything missing, forged, expired or malformed (the form is then empty). */
export async function openPrefill(token: unknown, key: Uint8Array, clock: Clock): Promise<RegistrationPrefill | null> {
  if (typeof token !== 'string' || token.length === 0 || token.length > 4096) return null;
  try {
    const { payload } = await jwtDecrypt(token, key, { audience: AUDIENCE, currentDate: clock.now(), keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'], requiredClaims: ['exp'] });
    const { given_name: givenName, family_name: familyName, rpps, profession } = payload;
    if (typeof givenName !== 'string' || typeof familyName !== 'string' || typeof rpps !== 'string') return null;
    return { givenName, familyName, rpps, ...(typeof profession === 'string' && profession ? { profession } : {}) };
  } catch {
    return null;
  }
}
