import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { currentRequestId, setRequestJti } from '../../shared/request-context.ts';
import type { ApplicationConfig, Config } from '../../config/index.ts';
import type { Clock } from '../../shared/clock.ts';
import type { Storage } from '../../storage/index.ts';
import type { User } from '../../model/index.ts';
import type { CertificateContext } from '../../authentication/certificate.ts';
import { applyIdentityHeaders, signAssertion, type AuthMethod, type Identity, type SigningKey } from '../../identity/index.ts';
import { forwardedInfo } from '../context.ts';
import { hasLegacy, legacyUsernameFor } from '../../legacy/index.ts';
import { servicesClaim } from '../../services/index.ts';

export interface IdentityDeps {
  config: Config;
  storage: Storage;
  clock: Clock;
  signingKey: SigningKey;
}

const AUTH_METHOD = { personal: 'personal-certificate', collective: 'collective-certificate', cps: 'cps-card' } as const satisfies Record<CertificateContext['record']['kind'], AuthMethod>;

async function buildIdentity(storage: Storage, user: User, certificate: CertificateContext, app: ApplicationConfig): Promise<Identity> {
  const establishment = certificate.establishment ?? (user.establishmentId ? await storage.establishments.findById(user.establishmentId) : undefined);
  return {
    userId: user.id,
    identifier: user.identifier,
    displayName: `${user.givenName} ${user.familyName}`,
    email: user.email,
    authMethod: AUTH_METHOD[certificate.record.kind],
    certificateSerial: certificate.record.serial,
    certificateSha256: certificate.record.fingerprintSha256,
    establishmentId: establishment?.id ?? null,
    establishmentName: establishment?.name ?? null,
    // Only applications with legacy settings can have mappings: no query on the hot path for the others.
    legacyUsername: hasLegacy(app) ? await legacyUsernameFor(storage, user.id, app.id) : null,
    services: app.sendServices ? await servicesClaim({ storage }, user.id, user.establishmentId) : null,
  };
}

/** An identity and its signed assertion, ready to be applied to any number of requests until `reuseUntil`. */
export interface PreparedIdentity {
  identity: Identity;
  assertion: string;
  /** The assertion's id: in the access line of every request that carries it. */
  jti: string;
  /** Epoch ms: after this, sign anew (half the assertion's lifetime, so an application never receives one about to expire). */
  reuseUntil: number;
}

export async function prepareIdentity(deps: IdentityDeps, app: ApplicationConfig, user: User, certificate: CertificateContext): Promise<PreparedIdentity> {
  const identity = await buildIdentity(deps.storage, user, certificate, app);
  const signedAt = deps.clock.now().getTime();
  const ttlSeconds = deps.config.assertion.ttlSeconds;
  const jti = randomUUID();
  const assertion = await signAssertion(deps.signingKey, { identity, issuer: deps.config.publicUrl, audience: app.id, clock: deps.clock, ttlSeconds, jti });
  return { identity, assertion, jti, reuseUntil: signedAt + (ttlSeconds * 1000) / 2 };
}

/**
 * Strips what must not reach the application (hop-by-hop headers, our session cookie, anything
 * in our namespace), then sets the identity and its signed assertion. `upgrade`: an authorised
 * WebSocket handshake.
 */
export function applyPreparedIdentity(deps: Pick<IdentityDeps, 'config'>, req: IncomingMessage, app: ApplicationConfig, prepared: PreparedIdentity, upgrade = false): void {
  applyIdentityHeaders(req.headers, {
    identity: prepared.identity,
    names: app.headers,
    assertion: prepared.assertion,
    forwarded: forwardedInfo(req),
    sessionCookie: deps.config.session.cookieName,
    upgrade,
  });
  // Set after the strip above: the application gets our request id (the one in our access line and audit trail), never the client's.
  const requestId = currentRequestId();
  if (requestId) req.headers['x-request-id'] = requestId;
  setRequestJti(prepared.jti);
}

/** Both steps at once: the path that checks the store on every request. */
export async function setIdentityHeaders(deps: IdentityDeps, req: IncomingMessage, app: ApplicationConfig, user: User, certificate: CertificateContext, upgrade = false): Promise<void> {
  applyPreparedIdentity(deps, req, app, await prepareIdentity(deps, app, user, certificate), upgrade);
}
