import type { IncomingHttpHeaders } from 'node:http';
import type { HeaderNames } from '../config/schema.ts';
import { PasserelleError } from '../shared/errors.ts';

export type AuthMethod = 'personal-certificate' | 'collective-certificate' | 'cps-card' | 'pro-sante-connect';

/** The authenticated person (or shared workstation) a request is forwarded for. */
export interface Identity {
  userId: string;
  identifier: string;
  /** May contain accents: goes into the signed assertion only, never into a header. */
  displayName: string;
  email: string;
  authMethod: AuthMethod;
  /** Null for a Pro Santé Connect session: no certificate, no certificate headers. */
  certificateSerial: string | null;
  /** Hex SHA-256 fingerprint of the client certificate (DER), colons allowed; null without a certificate. */
  certificateSha256: string | null;
  /** The provider's authentication context and methods (Pro Santé Connect), carried into the assertion. */
  acr?: string | null;
  amr?: string[] | null;
  establishmentId: string | null;
  establishmentName: string | null;
  legacyUsername?: string | null;
  /** The person's services in their establishment (codes, else names), for applications configured to receive them (`sendServices`). */
  services?: string[] | null;
}

export interface ForwardedInfo {
  for: string;
  /** The Host the client sent, port included when it gave one. */
  host: string;
  /** The port the client connected to: the Host's, else HTTPS's default. */
  port: string;
  proto: 'https';
}

/*
 * Why `headers` and not `rawHeaders`: the upstream proxy (src/proxy/upstream.ts) builds the
 * upstream request, plain and WebSocket upgrade alike, from `req.headers`;
 * `req.rawHeaders` is never forwarded. Node lower-cases the keys of `req.headers`, so we
 * normalise before comparing and write our own headers with lower-case keys (HTTP header
 * names are case-insensitive), leaving exactly one entry per header.
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

/*
 * Hop-by-hop headers (RFC 9110 §7.6.1) describe the client's connection to us, not a message
 * for the application: forwarded, `Connection: close, X-Passerelle-User` would let the next
 * hop drop the identity we set. `Upgrade` and `Connection: upgrade` stay on a WebSocket
 * handshake only. `Transfer-Encoding` stays: Node's server has already de-chunked the body and
 * Node's client re-frames it from this very header (dropping it would send a body unframed).
 * `X-Original-URL` / `X-Rewrite-URL` make some stacks (IIS, Symfony) route on a path other
 * than the one the gateway authorised.
 */
export const HOP_BY_HOP_HEADERS: readonly string[] = ['connection', 'keep-alive', 'te', 'trailer', 'upgrade', 'proxy-authorization', 'proxy-authenticate', 'proxy-connection'];
const REWRITE_HEADERS = ['x-original-url', 'x-rewrite-url'];
/** Never dropped because `Connection` lists them: routing and body framing. */
const FRAMING = new Set(['host', 'content-length', 'transfer-encoding']);

/** Removes, in place, what must not cross the gateway: hop-by-hop headers, those `Connection` names, URL rewrites. */
/** The header names a message's `Connection` header lists, lower case, framing headers left out. */
export function connectionListed(headers: IncomingHttpHeaders): string[] {
  return String(headers.connection ?? '')
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter((token) => token && !FRAMING.has(token));
}

export function stripHopByHopHeaders(headers: IncomingHttpHeaders, upgrade: boolean): void {
  const protocol = headers.upgrade;
  for (const name of [...connectionListed(headers), ...HOP_BY_HOP_HEADERS]) delete headers[name];
  // `_` spellings too, as for our own namespace.
  for (const name of Object.keys(headers)) if (REWRITE_HEADERS.includes(normaliseName(name))) delete headers[name];
  if (upgrade && protocol) {
    headers.upgrade = protocol;
    headers.connection = 'upgrade';
  }
}

/** Removes Passerelle's own session cookie from `Cookie`; the application's cookies go on. */
export function stripSessionCookie(headers: IncomingHttpHeaders, cookieName: string): void {
  if (typeof headers.cookie !== 'string') return;
  const kept = headers.cookie.split(';').filter((pair) => {
    const name = pair.split('=', 1)[0]!.trim();
    return name !== '' && name !== cookieName;
  });
  if (kept.length > 0) headers.cookie = kept.map((pair) => pair.trim()).join('; ');
  else delete headers.cookie;
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

export interface IdentityHeadersInput {
  identity: Identity;
  names: HeaderNames;
  assertion: string;
  forwarded: ForwardedInfo;
  /** Passerelle's session cookie: the application never sees it. */
  sessionCookie: string;
  /** A WebSocket handshake the gateway authorised: `Upgrade` and `Connection: upgrade` go on. */
  upgrade: boolean;
}

/**
 * THE one place the headers an application receives are settled: hop-by-hop headers, our
 * session cookie and every client header in our namespace are stripped first, then ours are
 * set. Values must be plain ASCII; the display name travels only in the assertion.
 */
export function applyIdentityHeaders(headers: IncomingHttpHeaders, input: IdentityHeadersInput): void {
  const { identity, names, assertion, forwarded } = input;
  stripHopByHopHeaders(headers, input.upgrade);
  stripSessionCookie(headers, input.sessionCookie);
  stripClientIdentityHeaders(headers, names);
  setHeader(headers, names.user, identity.identifier);
  setHeader(headers, names.authMethod, identity.authMethod);
  if (identity.certificateSerial) setHeader(headers, names.certificateSerial, identity.certificateSerial);
  if (identity.certificateSha256) setHeader(headers, names.certificateSha256, identity.certificateSha256);
  if (identity.establishmentId) setHeader(headers, names.establishment, identity.establishmentId);
  if (identity.legacyUsername) setHeader(headers, names.legacyUser, identity.legacyUsername);
  setHeader(headers, names.assertion, assertion);
  setHeader(headers, 'X-Forwarded-For', forwarded.for);
  setHeader(headers, 'X-Forwarded-Host', forwarded.host);
  setHeader(headers, 'X-Forwarded-Port', forwarded.port);
  setHeader(headers, 'X-Forwarded-Proto', forwarded.proto);
}
