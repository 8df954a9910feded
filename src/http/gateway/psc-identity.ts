import type { Request } from 'express';
import type { ApplicationConfig, Config } from '../../config/index.ts';
import type { Clock } from '../../shared/clock.ts';
import type { Storage } from '../../storage/index.ts';
import type { User } from '../../model/index.ts';
import type { PscSessionAuth } from '../../psc/index.ts';
import { applyIdentityHeaders, signAssertion, type Identity, type SigningKey } from '../../identity/index.ts';
import { hasLegacy, legacyUsernameFor } from '../../legacy/index.ts';
import { forwardedInfo } from '../context.ts';

/**
 * The identity of a Pro Santé Connect session for the application: no certificate (no
 * certificate headers, no `cnf`), `auth_method: "pro-sante-connect"`, and the provider's
 * `acr`/`amr` in the signed assertion. Headers are set by the one function that sets them all.
 */
export async function setPscIdentityHeaders(deps: { config: Config; storage: Storage; clock: Clock; signingKey: SigningKey }, req: Request, app: ApplicationConfig, user: User, psc: PscSessionAuth): Promise<void> {
  const establishment = user.establishmentId ? await deps.storage.establishments.findById(user.establishmentId) : undefined;
  const identity: Identity = {
    userId: user.id,
    identifier: user.identifier,
    displayName: `${user.givenName} ${user.familyName}`,
    email: user.email,
    authMethod: 'pro-sante-connect',
    certificateSerial: null,
    certificateSha256: null,
    acr: psc.acr,
    amr: psc.amr,
    establishmentId: establishment?.id ?? null,
    establishmentName: establishment?.name ?? null,
    legacyUsername: hasLegacy(app) ? await legacyUsernameFor(deps.storage, user.id, app.id) : null,
  };
  const assertion = await signAssertion(deps.signingKey, { identity, issuer: deps.config.publicUrl, audience: app.id, clock: deps.clock, ttlSeconds: deps.config.assertion.ttlSeconds });
  applyIdentityHeaders(req.headers, {
    identity,
    names: app.headers,
    assertion,
    forwarded: forwardedInfo(req),
    sessionCookie: deps.config.session.cookieName,
    upgrade: false,
  });
}
