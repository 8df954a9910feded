/**
 * A real OpenID Connect provider (node-oidc-provider) standing in for Pro Santé Connect: served
 * over TLS on localhost, PSC's scopes and claims (SubjectNameID = 8 + RPPS, given_name,
 * family_name, SubjectRefPro with profession codes), acr `eidas1`, PKCE required, sid in ID
 * tokens (back-channel logout). No login UI: the interaction route signs in `nextAccount`.
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { generateKeyPair, exportJWK, SignJWT, type JWK } from 'jose';
import Provider from 'oidc-provider';

export interface PscProfessionalFixture {
  rpps: string;
  givenName: string;
  familyName: string;
  professionCode: string;
}

export interface TestPscProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Who the next authorization signs in (their `sub` is `psc-<rpps>`). */
  nextAccount: PscProfessionalFixture | null;
  /** The sid of the last sign-in, as the provider put it in the ID token. */
  lastSid: string | null;
  /** A back-channel logout token for `sid`, signed with the provider's own key. */
  logoutToken(claims: { sid?: string; sub?: string }): Promise<string>;
  close(): Promise<void>;
}

export async function startPscProvider(options: { port: number; certPem: string; keyPem: string; redirectUris: string[]; postLogoutRedirectUris: string[] }): Promise<TestPscProvider> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid: 'psc-test', alg: 'RS256', use: 'sig' };
  const server = https.createServer({ cert: options.certPem, key: options.keyPem });
  await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
  const issuer = `https://localhost:${(server.address() as AddressInfo).port}`;
  const clientId = 'passerelle-test';
  const clientSecret = 'psc-test-client-secret-0123456789abcdef';
  const accounts = new Map<string, PscProfessionalFixture>();

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        post_logout_redirect_uris: options.postLogoutRedirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
        backchannel_logout_uri: options.redirectUris[0]!.replace('/callback', '/backchannel-logout'),
        backchannel_logout_session_required: true,
      },
    ],
    jwks: { keys: [jwk] },
    acrValues: ['eidas1'],
    scopes: ['openid', 'scope_all'],
    claims: { openid: ['sub'], scope_all: ['SubjectNameID', 'preferred_username', 'given_name', 'family_name', 'SubjectRefPro'] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false }, backchannelLogout: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    cookies: { keys: ['psc-test-cookie-key-0123456789abcdef'] },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount(_ctx: unknown, sub: string) {
      const account = accounts.get(sub);
      if (!account) return Promise.resolve(undefined);
      return Promise.resolve({
        accountId: sub,
        claims: () => Promise.resolve({
          sub,
          SubjectNameID: `8${account.rpps}`,
          preferred_username: `8${account.rpps}`,
          given_name: account.givenName,
          family_name: account.familyName,
          SubjectRefPro: { codeCivilite: 'M', exercices: [{ codeProfession: account.professionCode, codeCategorieProfessionnelle: 'C' }] },
        }),
      });
    },
  });
  provider.proxy = false;

  const state: TestPscProvider = {
    issuer,
    clientId,
    clientSecret,
    nextAccount: null,
    lastSid: null,
    async logoutToken(claims) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ ...claims, events: { 'http://schemas.openid.net/event/backchannel-logout': {} } })
        .setProtectedHeader({ alg: 'RS256', kid: 'psc-test', typ: 'logout+jwt' })
        .setIssuer(issuer)
        .setAudience(clientId)
        .setIssuedAt(now)
        .setExpirationTime(now + 120)
        .setJti(crypto.randomUUID())
        .sign(privateKey);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  void publicKey;

  const callback = provider.callback();
  server.on('request', (req, res) => {
    const match = /^\/interaction\/([^/?]+)/.exec(req.url ?? '');
    if (!match) return callback(req, res);
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      const account = state.nextAccount;
      if (!account) {
        await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'no test account' }, { mergeWithLastSubmission: false });
        return;
      }
      const accountId = `psc-${account.rpps}`;
      accounts.set(accountId, account);
      const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
      grant.addOIDCScope('openid scope_all');
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { login: { accountId, acr: 'eidas1', amr: ['mfa', 'otp'] }, consent: { grantId } }, { mergeWithLastSubmission: false });
    })().catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  // The sid the provider put in the last ID token: read from its issued tokens via an event.
  provider.on('authorization_code.saved', (code: { sessionUid?: string; sid?: string }) => {
    state.lastSid = code.sid ?? null;
  });
  return state;
}
