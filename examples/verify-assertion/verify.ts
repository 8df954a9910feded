// Verifying Passerelle's identity assertion in a Node.js application (jose 6; Node ≥ 22.18 runs
// this TypeScript file as is — or strip the types for plain JavaScript).
//
// Behind the gateway every request carries `X-Passerelle-Assertion`: a JWT signed with ES256
// by Passerelle, short-lived, whose `aud` is your application's id. Verify it on EVERY request
// and take the identity from its claims; the plain headers are a convenience that must agree.
//
//   import { createAssertionVerifier } from './verify.ts';
//   const verifier = createAssertionVerifier({
//     jwksUrl: 'https://portail.esante.example/.well-known/jwks.json',
//     issuer: 'https://portail.esante.example', // Passerelle's public URL, exactly
//     audience: 'opendrp',                       // your application id in Passerelle's config
//   });
//   const result = await verifier.verifyRequest(req.headers);
//   if (!result.ok) return refuse(401, result.reason);
//   result.identity.identifier; // 'helene.lefevre'
//
// Passerelle's test suite runs this file against a real gateway (test/integration-example.test.ts).
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import { createRemoteJWKSet, customFetch, errors, jwtVerify, type FetchImplementation, type JWTPayload } from 'jose';

/** Header names as Node.js gives them (lower case); an application's may be renamed in Passerelle's config. */
export const HEADERS = {
  assertion: 'x-passerelle-assertion',
  user: 'x-passerelle-user',
  legacyUser: 'x-passerelle-legacy-user',
  authMethod: 'x-passerelle-auth-method',
  certificateSerial: 'x-passerelle-certificate-serial',
  certificateSha256: 'x-passerelle-certificate-sha256',
  establishment: 'x-passerelle-establishment',
};

/**
 * Header names from the application's `headers` block in Passerelle's configuration (as JSON, e.g. the
 * PASSERELLE_HEADERS environment variable: `{"user":"X-OpenDRP-Login","assertion":"X-OpenDRP-Assertion"}`),
 * lower-cased as Node gives them; the defaults for the rest. Keep the two configurations in step.
 */
export function headerNamesFromConfig(json: string | undefined): typeof HEADERS {
  const names = { ...HEADERS };
  if (!json) return names;
  const renamed = JSON.parse(json) as Record<string, unknown>;
  for (const [key, value] of Object.entries(renamed)) {
    if (!(key in names) || typeof value !== 'string') throw new Error(`unknown or invalid header key ${JSON.stringify(key)}`);
    names[key as keyof typeof HEADERS] = value.toLowerCase();
  }
  return names;
}

export interface VerifierOptions {
  /** Passerelle's JWK Set: `<public URL>/.well-known/jwks.json`. */
  jwksUrl: string;
  /** Passerelle's public URL, exactly as configured (`publicUrl`). */
  issuer: string;
  /** This application's id in Passerelle's configuration. */
  audience: string;
  /** PEM of a private CA to trust for the JWKS fetch (or run with NODE_EXTRA_CA_CERTS). */
  caPem?: string;
  /** Tolerated clock skew between hosts. Default 5 s. */
  clockToleranceSeconds?: number;
  /** Refuse older assertions whatever their `exp`. Default 120 s (Passerelle signs for at most 60 s). */
  maxAgeSeconds?: number;
  /** Renamed headers (lower case). */
  headers?: Partial<typeof HEADERS>;
  /** Verification time, for tests. */
  currentDate?: () => Date;
}

/** The claims Passerelle signs, beyond iss, aud, iat, nbf, exp and jti. */
export interface PasserelleClaims extends JWTPayload {
  /** Stable Passerelle account id. */
  sub: string;
  /** The identifier, e.g. `helene.lefevre`. */
  preferred_username: string;
  /** Display name, UTF-8 with accents (never sent in a header). */
  name: string;
  email: string;
  /** RFC 8176 method references. */
  amr: string[];
  auth_method: 'personal-certificate' | 'collective-certificate' | 'cps-card' | 'pro-sante-connect';
  establishment: { id: string; name: string | null } | null;
  /** Your application's previous identifier for this person, once mapped. */
  legacy_username?: string;
  /** RFC 8705: base64url SHA-256 of the client certificate the gateway saw. */
  /** Certificate methods only: absent for Pro Santé Connect (no client certificate). */
  cnf?: { 'x5t#S256': string };
}

export interface VerifiedIdentity {
  id: string;
  identifier: string;
  name: string;
  email: string;
  authMethod: PasserelleClaims['auth_method'];
  amr: string[];
  establishment: PasserelleClaims['establishment'];
  legacyUsername: string | null;
}

export type RequestVerification = { ok: true; identity: VerifiedIdentity; claims: PasserelleClaims } | { ok: false; reason: string };

/**
 * A fetch for jose that trusts a private CA (Passerelle's own, in development and on many
 * regional platforms). Not needed when the JWKS URL has a publicly trusted certificate.
 */
function fetchTrusting(caPem: string): FetchImplementation {
  return (url, options) =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = {};
      options.headers.forEach((value, name) => (headers[name] = value));
      const req = request(url, { method: 'GET', ca: caPem, headers, signal: options.signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 500, headers: { 'content-type': res.headers['content-type'] ?? '' } })));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
}

/** Hex SHA-256 fingerprint (colons allowed) → base64url, as in `cnf.x5t#S256`. */
export function x5tFromHex(hex: string): string | null {
  const clean = hex.replaceAll(':', '');
  if (!/^[0-9a-fA-F]{64}$/.test(clean)) return null;
  return Buffer.from(clean, 'hex').toString('base64url');
}

/** A stable reason for a refused assertion: log it, do not show details to the client. */
function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `invalid_claim_${error.claim}`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad_signature';
  if (error instanceof errors.JWKSNoMatchingKey) return 'unknown_key';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'algorithm_not_allowed';
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return 'jwks_unavailable';
  return 'malformed';
}

/** A header's value; a repeated header (an array in Node) is refused as absent. */
function single(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}

export function createAssertionVerifier(options: VerifierOptions) {
  const names = { ...HEADERS, ...options.headers };
  // Keys are cached (10 min) and refetched on an unknown `kid` (key rotation) at most every 30 s.
  const keys = createRemoteJWKSet(new URL(options.jwksUrl), {
    timeoutDuration: 5_000,
    cooldownDuration: 30_000,
    cacheMaxAge: 600_000,
    ...(options.caPem ? { [customFetch]: fetchTrusting(options.caPem) } : {}),
  });

  /** Verifies one assertion; throws jose errors. */
  async function verifyAssertion(token: string): Promise<PasserelleClaims> {
    const { payload } = await jwtVerify<PasserelleClaims>(token, keys, {
      algorithms: ['ES256'], // never what the token's own header asks for
      issuer: options.issuer,
      audience: options.audience, // an assertion made for another application is refused
      typ: 'JWT',
      requiredClaims: ['sub', 'iat', 'nbf', 'exp', 'jti', 'preferred_username', 'auth_method'],
      clockTolerance: options.clockToleranceSeconds ?? 5,
      maxTokenAge: options.maxAgeSeconds ?? 120,
      ...(options.currentDate ? { currentDate: options.currentDate() } : {}),
    });
    return payload;
  }

  /**
   * A whole request: a valid assertion for this application, and plain headers that agree with
   * it (user, certificate binding, legacy identifier). Use `identity`, not the headers.
   */
  async function verifyRequest(headers: IncomingHttpHeaders): Promise<RequestVerification> {
    const token = single(headers, names.assertion);
    if (!token) return { ok: false, reason: 'missing_assertion' };
    let claims: PasserelleClaims;
    try {
      claims = await verifyAssertion(token);
    } catch (error) {
      return { ok: false, reason: reasonOf(error) };
    }
    if (single(headers, names.user) !== claims.preferred_username) return { ok: false, reason: 'user_header_mismatch' };
    // A certificate sign-in is bound to the client certificate the gateway saw; Pro Santé Connect has none.
    if (claims.auth_method !== 'pro-sante-connect') {
      const fingerprint = single(headers, names.certificateSha256);
      if (!fingerprint || x5tFromHex(fingerprint) !== claims.cnf?.['x5t#S256']) return { ok: false, reason: 'certificate_binding_mismatch' };
    } else if (claims.cnf || single(headers, names.certificateSha256)) return { ok: false, reason: 'certificate_binding_mismatch' };
    if (single(headers, names.legacyUser) !== claims.legacy_username) return { ok: false, reason: 'legacy_header_mismatch' };
    return {
      ok: true,
      claims,
      identity: {
        id: claims.sub,
        identifier: claims.preferred_username,
        name: claims.name,
        email: claims.email,
        authMethod: claims.auth_method,
        amr: claims.amr,
        establishment: claims.establishment,
        legacyUsername: claims.legacy_username ?? null,
      },
    };
  }

  return { verifyAssertion, verifyRequest };
}
