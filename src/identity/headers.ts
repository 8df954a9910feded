import type { IncomingHttpHeaders } from 'node:http';
import type { HeaderNames } from '../config/schema.ts';
import { PasserelleError } from '../shared/errors.ts';

export type AuthMethod = 'personal-certificate' | 'collective-certificate' | 'cps-card';

/** The authenticated person (or shared workstation) a request is forwarded for. */
export interface Identity {
  userId: string;
  identifier: string;
  /** May contain accents: goes into the signed assertion only, never into a header. */
  displayName: string;
  email: string;
  authMethod: AuthMethod;
  certificateSerial: string;
  /** Hex SHA-256 fingerprint of the client certificate (DER), colons allowed. */
  certificateSha256: string;
  establishmentId: string | null;
  establishmentName: string | null;
  legacyUsername?: string | null;
}

export interface ForwardedInfo {
  for: string;
  host: string;
  proto: 'https';
}

/*
 * Why `headers` and not `rawHeaders`: http-proxy (under http-proxy-middleware) builds the
 * upstream request, plain and WebSocket upgrade alike, from a copy of `req.headers`;
 * `req.rawHeaders` is never forwarded. Node lower-cases the keys of `req.headers`, so we
 * normalise before comparing and write our own headers with lower-case keys (HTTP header
 * names are case-insensitive), leaving exactly one entry per header. Do not enable
 * http-proxy's `xfwd` option: it would append to the X-Forwarded-* values set here.
 */

const EXACT_NAMES = new Set(['client-cert', 'client-cert-chain', 'ssl-client-cert', 'forwarded', 'x-real-ip']);
const PREFIXES = ['x-passerelle-', 'x-ssl-', 'x-client-', 'x-forwarded-'];
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Visible ASCII, inner spaces allowed, no leading/trailing whitespace, no control chars. */
const HEADER_VALUE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/** Lower case with `_` read as `-`: many upstream stacks (CGI, PHP, Django) merge the two. */
function normaliseName(name: string): string {
  return name.toLowerCase().replaceAll('_', '-');
}

function isClientIdentityHeader(name: string, renamed: ReadonlySet<string>): boolean {
  const normalised = normaliseName(name);
  return EXACT_NAMES.has(normalised) || renamed.has(normalised) || PREFIXES.some((prefix) => normalised.startsWith(prefix));
}

/** Removes, in place, every client-sent header that could pose as identity or origin. */
export function stripClientIdentityHeaders(headers: IncomingHttpHeaders, renamed: HeaderNames): void {
  const renamedSet = new Set(Object.values(renamed).map(normaliseName));
  for (const name of Object.keys(headers)) {
    if (isClientIdentityHeader(name, renamedSet)) delete headers[name];
  }
}

function setHeader(headers: IncomingHttpHeaders, name: string, value: string): void {
  if (!HEADER_NAME.test(name)) {
    throw new PasserelleError(500, 'identity_header_invalid', `Invalid identity header name ${JSON.stringify(name)}`);
  }
  // Defence in depth: the value is never logged, only the header name.
  if (!HEADER_VALUE.test(value)) {
    throw new PasserelleError(500, 'identity_header_invalid', `Identity header ${name} would carry a non-ASCII, empty or control-character value`);
  }
  headers[name.toLowerCase()] = value;
}

/**
 * THE one place identity headers are built: client headers are stripped first, then ours
 * are set. Values must be plain ASCII; the display name travels only in the assertion.
 */
export function applyIdentityHeaders(
  headers: IncomingHttpHeaders,
  input: { identity: Identity; names: HeaderNames; assertion: string; forwarded: ForwardedInfo },
): void {
  const { identity, names, assertion, forwarded } = input;
  stripClientIdentityHeaders(headers, names);
  setHeader(headers, names.user, identity.identifier);
  setHeader(headers, names.authMethod, identity.authMethod);
  setHeader(headers, names.certificateSerial, identity.certificateSerial);
  setHeader(headers, names.certificateSha256, identity.certificateSha256);
  if (identity.establishmentId) setHeader(headers, names.establishment, identity.establishmentId);
  if (identity.legacyUsername) setHeader(headers, names.legacyUser, identity.legacyUsername);
  setHeader(headers, names.assertion, assertion);
  setHeader(headers, 'X-Forwarded-For', forwarded.for);
  setHeader(headers, 'X-Forwarded-Host', forwarded.host);
  setHeader(headers, 'X-Forwarded-Proto', forwarded.proto);
}
