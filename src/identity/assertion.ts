import { randomUUID } from 'node:crypto';
import { SignJWT, createLocalJWKSet, errors, jwtVerify } from 'jose';
import type { JSONWebKeySet, JWTPayload } from 'jose';
import type { Clock } from '../shared/clock.ts';
import type { AuthMethod, Identity } from './headers.ts';
import type { SigningKey } from './signing-key.ts';

export const MAX_ASSERTION_TTL_SECONDS = 60;

/** Claims of `X-Passerelle-Assertion`, beyond the registered ones. */
export interface AssertionClaims extends JWTPayload {
  iss: string;
  aud: string;
  sub: string;
  preferred_username: string;
  /** UTF-8, accents kept. */
  name: string;
  email: string;
  amr: string[];
  /** Pro Santé Connect only: the provider's authentication context (e.g. `eidas1`). */
  acr?: string;
  auth_method: AuthMethod;
  establishment: { id: string; name: string | null } | null;
  legacy_username?: string;
  /** Only for applications with `sendServices`: the person's services in their establishment. */
  services?: string[];
  /** RFC 8705 certificate binding: base64url SHA-256 of the client certificate DER. Absent without a certificate (Pro Santé Connect). */
  cnf?: { 'x5t#S256': string };
  iat: number;
  nbf: number;
  exp: number;
  jti: string;
}

/**
 * RFC 8176 method references. Certificates installed from a PKCS#12 are software keys
 * (`swk`); the gateway also asks for the password. A collective certificate proves the
 * workstation, not the person, so it is not reported as `mfa`. A CPS card is a smart
 * card (`sc`, `hwk`) unlocked by its PIN.
 */
export function amrFor(method: AuthMethod): string[] {
  switch (method) {
    case 'personal-certificate':
      return ['swk', 'pwd', 'mfa'];
    case 'collective-certificate':
      return ['swk', 'pwd'];
    case 'cps-card':
      return ['sc', 'hwk', 'pin', 'mfa'];
    case 'pro-sante-connect':
      // What the provider reported (Identity.amr) wins; e-CPS and the CPS card are both two factors.
      return ['mfa'];
  }
}

/** `x5t#S256` from a hex fingerprint (colons and upper case accepted). */
export function x5tS256(sha256Hex: string): string {
  const hex = sha256Hex.replaceAll(':', '');
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('certificate SHA-256 fingerprint must be 32 hex bytes');
  return Buffer.from(hex, 'hex').toString('base64url');
}

export interface SignAssertionInput {
  identity: Identity;
  /** Passerelle's public URL. */
  issuer: string;
  /** The application id. */
  audience: string;
  clock: Clock;
  ttlSeconds: number;
  jti?: string;
}

export async function signAssertion(key: SigningKey, input: SignAssertionInput): Promise<string> {
  const { identity, issuer, audience, clock, ttlSeconds } = input;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_ASSERTION_TTL_SECONDS) {
    throw new RangeError(`assertion TTL must be an integer between 1 and ${MAX_ASSERTION_TTL_SECONDS} seconds`);
  }
  const iat = Math.floor(clock.now().getTime() / 1000);
  const claims = {
    preferred_username: identity.identifier,
    name: identity.displayName,
    email: identity.email,
    amr: identity.amr?.length ? identity.amr : amrFor(identity.authMethod),
    ...(identity.acr ? { acr: identity.acr } : {}),
    auth_method: identity.authMethod,
    establishment: identity.establishmentId ? { id: identity.establishmentId, name: identity.establishmentName } : null,
    ...(identity.legacyUsername ? { legacy_username: identity.legacyUsername } : {}),
    ...(identity.services ? { services: identity.services } : {}),
    ...(identity.certificateSha256 ? { cnf: { 'x5t#S256': x5tS256(identity.certificateSha256) } } : {}),
  };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject(identity.userId)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(iat + ttlSeconds)
    .setJti(input.jti ?? randomUUID())
    .sign(key.privateKey);
}

export interface VerifyAssertionOptions {
  jwks: JSONWebKeySet;
  issuer: string;
  audience: string;
  clock?: Clock;
}

/** Verifies an assertion as a downstream application should. Throws jose errors; see `assertionFailureReason`. */
export async function verifyAssertion(token: string, options: VerifyAssertionOptions): Promise<AssertionClaims> {
  const { payload } = await jwtVerify(token, createLocalJWKSet(options.jwks), {
    algorithms: ['ES256'],
    issuer: options.issuer,
    audience: options.audience,
    typ: 'JWT',
    requiredClaims: ['sub', 'iat', 'nbf', 'exp', 'jti'],
    ...(options.clock ? { currentDate: options.clock.now() } : {}),
  });
  return payload as AssertionClaims;
}

export type AssertionFailureReason =
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_audience'
  | 'wrong_issuer'
  | 'bad_signature'
  | 'unknown_key'
  | 'malformed';

/** Maps a `verifyAssertion` error to a stable reason code. */
export function assertionFailureReason(error: unknown): AssertionFailureReason {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'wrong_audience';
    if (error.claim === 'iss') return 'wrong_issuer';
    if (error.claim === 'nbf' || error.claim === 'iat') return 'not_yet_valid';
    return 'malformed';
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad_signature';
  if (error instanceof errors.JWKSNoMatchingKey) return 'unknown_key';
  return 'malformed';
}
