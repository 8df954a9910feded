import { readFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import * as oidc from 'openid-client';
import { createRemoteJWKSet, customFetch as joseCustomFetch, importPKCS8, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { PscConfig } from '../config/schema.ts';
import { providerFetch, type FetchLike } from './fetch.ts';
import { professionalFrom, type ClaimsProblem, type PscProfessional } from './claims.ts';

/** What a pending sign-in keeps in the session between /login and /callback (never sent to the browser). */
export interface PscFlow {
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  /** Where to go after signing in: a same-origin path. */
  next: string;
  startedAt: number;
}

/** A verified sign-in: the professional, and what the provider says about how they authenticated. */
export interface PscSignIn {
  professional: PscProfessional;
  issuer: string;
  sid: string | null;
  acr: string | null;
  amr: string[];
  /** Kept for RP-initiated logout (`id_token_hint`). */
  idToken: string;
}

/** Why a callback is refused; each is audited, none reveals more to the browser than "start again". */
export type PscFailure =
  | 'psc_state_mismatch'
  | 'psc_nonce_mismatch'
  | 'psc_provider_error'
  | 'psc_token_invalid'
  | 'psc_acr_insufficient'
  | 'psc_unavailable'
  | ClaimsProblem;

export class PscError extends Error {
  constructor(readonly reason: PscFailure, message: string) {
    super(message);
    this.name = 'PscError';
  }
}

/**
 * The relying party for Pro Santé Connect: discovery (lazy, retried after a failure), the
 * authorization code flow with PKCE (S256), `state` and `nonce`, ID token and userinfo, the
 * end-session URL, and logout tokens (verified with jose against the provider's JWKS).
 */
export class PscClient {
  #configuration: Promise<oidc.Configuration> | null = null;
  #jwks: JWTVerifyGetKey | null = null;
  readonly #fetch: FetchLike;

  constructor(private readonly config: PscConfig) {
    this.#fetch = providerFetch(config.caFile);
  }

  private configuration(): Promise<oidc.Configuration> {
    this.#configuration ??= this.discover().catch((error: unknown) => {
      this.#configuration = null;
      throw new PscError('psc_unavailable', `Pro Santé Connect discovery failed: ${(error as Error).message}`);
    });
    return this.#configuration;
  }

  private async discover(): Promise<oidc.Configuration> {
    const { issuer, clientId } = this.config;
    if (!issuer || !clientId) throw new Error('psc.issuer and psc.clientId are required');
    const options = { [oidc.customFetch]: this.#fetch as oidc.CustomFetch };
    return oidc.discovery(new URL(issuer), clientId, { id_token_signed_response_alg: 'RS256' }, await this.clientAuth(), options);
  }

  private async clientAuth(): Promise<oidc.ClientAuth> {
    const { clientAuth, clientSecret, privateKeyFile } = this.config;
    if (clientAuth === 'private_key_jwt') {
      const pem = readFileSync(privateKeyFile!, 'utf8');
      const alg = createPrivateKey(pem).asymmetricKeyType === 'ec' ? 'ES256' : 'RS256';
      return oidc.PrivateKeyJwt(await importPKCS8(pem, alg));
    }
    return clientAuth === 'client_secret_post' ? oidc.ClientSecretPost(clientSecret!) : oidc.ClientSecretBasic(clientSecret!);
  }

  /** The provider's authorization URL and the secrets the callback will check. */
  async begin(redirectUri: string, next: string, now: number): Promise<{ url: string; flow: PscFlow }> {
    const configuration = await this.configuration();
    const flow: PscFlow = { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier(), redirectUri, next, startedAt: now };
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: this.config.scopes.join(' '),
      acr_values: this.config.acrValues,
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(flow.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, flow };
  }

  /** Checks the response against the flow (state, PKCE, nonce, ID token, acr), then reads userinfo. */
  async complete(callbackUrl: URL, flow: PscFlow): Promise<PscSignIn> {
    const configuration = await this.configuration();
    let tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;
    try {
      tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, { expectedState: flow.state, expectedNonce: flow.nonce, pkceCodeVerifier: flow.codeVerifier, idTokenExpected: true });
    } catch (error) {
      throw new PscError(failureOf(error), `Pro Santé Connect refused or sent an invalid response: ${(error as Error).message}`);
    }
    const idClaims = tokens.claims()!;
    const acr = typeof idClaims.acr === 'string' ? idClaims.acr : null;
    const accepted = this.config.acrValues.split(' ').filter(Boolean);
    if (!acr || !accepted.includes(acr)) throw new PscError('psc_acr_insufficient', `authentication context ${JSON.stringify(acr)} is not one of ${accepted.join(', ')}`);
    let userinfo: Record<string, unknown> = {};
    try {
      userinfo = await oidc.fetchUserInfo(configuration, tokens.access_token, idClaims.sub);
    } catch (error) {
      throw new PscError('psc_token_invalid', `userinfo refused: ${(error as Error).message}`);
    }
    const found = professionalFrom({ ...idClaims, ...userinfo, sub: idClaims.sub });
    if (!found.ok) throw new PscError(found.problem, `Pro Santé Connect named no RPPS professional (${found.problem})`);
    const amr = Array.isArray(idClaims.amr) ? idClaims.amr.filter((v): v is string => typeof v === 'string') : [];
    return {
      professional: found.professional,
      issuer: configuration.serverMetadata().issuer,
      sid: typeof idClaims.sid === 'string' ? idClaims.sid : null,
      acr,
      amr,
      idToken: tokens.id_token!,
    };
  }

  /** The provider's end-session URL (RP-initiated logout), or null when it publishes none. */
  async endSessionUrl(idTokenHint: string | null, postLogoutRedirectUri: string): Promise<string | null> {
    const configuration = await this.configuration();
    if (!configuration.serverMetadata().end_session_endpoint) return null;
    return oidc.buildEndSessionUrl(configuration, { post_logout_redirect_uri: postLogoutRedirectUri, ...(idTokenHint ? { id_token_hint: idTokenHint } : {}) }).href;
  }

  /** The issuer this client talks to (after discovery). */
  async issuer(): Promise<string> {
    return (await this.configuration()).serverMetadata().issuer;
  }

  /**
   * OpenID Connect Back-Channel Logout 1.0 §2.6: signed by the provider, `iss`, `aud` = our
   * client id, `iat`, `jti`, the back-channel event, `sid` and/or `sub`, and no `nonce`.
   */
  async verifyLogoutToken(token: string): Promise<{ issuer: string; sid: string | null; sub: string | null }> {
    const configuration = await this.configuration();
    const metadata = configuration.serverMetadata();
    if (!metadata.jwks_uri) throw new PscError('psc_unavailable', 'the provider publishes no jwks_uri');
    this.#jwks ??= createRemoteJWKSet(new URL(metadata.jwks_uri), { [joseCustomFetch]: this.#fetch });
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.#jwks, { issuer: metadata.issuer, audience: this.config.clientId!, requiredClaims: ['iat', 'jti', 'events'], maxTokenAge: '5 minutes', typ: undefined }));
    } catch (error) {
      throw new PscError('psc_token_invalid', `logout token refused: ${(error as Error).message}`);
    }
    const events = payload.events as Record<string, unknown> | undefined;
    const sid = typeof payload.sid === 'string' ? payload.sid : null;
    const sub = typeof payload.sub === 'string' ? payload.sub : null;
    if (!events || typeof events['http://schemas.openid.net/event/backchannel-logout'] !== 'object') throw new PscError('psc_token_invalid', 'logout token without the back-channel logout event');
    if ('nonce' in payload) throw new PscError('psc_token_invalid', 'logout token carries a nonce');
    if (!sid && !sub) throw new PscError('psc_token_invalid', 'logout token names neither sid nor sub');
    return { issuer: metadata.issuer, sid, sub };
  }
}

/** openid-client's error codes → our stable reasons (state and nonce named apart: the tests check both). */
function failureOf(error: unknown): PscFailure {
  // openid-client wraps oauth4webapi's errors: the reason is in the cause.
  const e = error as { code?: string; message?: string; error?: string; cause?: { message?: string } };
  const message = `${e.message ?? ''} ${e.cause?.message ?? ''}`;
  if (/state/i.test(message) && e.code !== 'OAUTH_RESPONSE_BODY_ERROR') return 'psc_state_mismatch';
  if (/nonce/i.test(message)) return 'psc_nonce_mismatch';
  if (e.error || e.code === 'OAUTH_AUTHORIZATION_RESPONSE_ERROR' || e.code === 'OAUTH_RESPONSE_BODY_ERROR') return 'psc_provider_error';
  return 'psc_token_invalid';
}
