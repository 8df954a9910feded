/**
 * A real OpenID Connect provider (node-oidc-provider) standing in for Pro Santé Connect: served
 * over TLS on localhost, PSC's scopes and claims (SubjectNameID = 8 + RPPS, given_name,
 * family_name, SubjectRefPro with profession codes), acr `eidas1`, PKCE required, sid in ID
 * tokens (back-channel logout), RP-initiated logout. The interaction route signs in `nextAccount`
 * at once, or, with `interactive` set (the browser test), shows a page where the national
 * identifier is typed and checked against `nextAccount` first.
 */
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
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
  /** Show a sign-in page (national identifier + "Valider") instead of signing `nextAccount` in at once. */
  interactive: boolean;
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
    features: { devInteractions: { enabled: false }, backchannelLogout: { enabled: true }, rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource } },
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
    interactive: false,
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
  /** Ends the interaction: `account` signed in with PSC's acr and amr, scopes granted. */
  const signInAs = async (req: IncomingMessage, res: ServerResponse, account: PscProfessionalFixture) => {
    const details = await provider.interactionDetails(req, res);
    const accountId = `psc-${account.rpps}`;
    accounts.set(accountId, account);
    const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
    grant.addOIDCScope('openid scope_all');
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { login: { accountId, acr: 'eidas1', amr: ['mfa', 'otp'] }, consent: { grantId } }, { mergeWithLastSubmission: false });
  };
  server.on('request', (req, res) => {
    const match = /^\/interaction\/([^/?]+)(\/login)?/.exec(req.url ?? '');
    if (!match) return callback(req, res);
    const uid = match[1]!;
    void (async () => {
      const account = state.nextAccount;
      if (!state.interactive) {
        if (account) return signInAs(req, res, account);
        await provider.interactionDetails(req, res);
        return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'no test account' }, { mergeWithLastSubmission: false });
      }
      // The sign-in page: the national identifier (8 + RPPS) of `nextAccount`, as e-CPS would ask for it.
      await provider.interactionDetails(req, res);
      if (req.method === 'POST' && match[2]) {
        const typed = new URLSearchParams(await bodyOf(req)).get('nationalId')?.trim();
        if (account && typed === `8${account.rpps}`) return signInAs(req, res, account);
        return sendHtml(res, 401, signInPage(uid, true));
      }
      sendHtml(res, 200, signInPage(uid, false));
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

function bodyOf(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`;
}

/** The stand-in's sign-in page (no external resources: the test machine has no network). */
function signInPage(uid: string, refused: boolean): string {
  return page(
    'Pro Santé Connect (test)',
    `${refused ? '<p role="alert">Identifiant national inconnu.</p>' : ''}<form method="post" action="/interaction/${encodeURIComponent(uid)}/login">` +
      '<label for="nationalId">Identifiant national</label> <input id="nationalId" name="nationalId" autocomplete="off"> <button type="submit">Valider</button></form>',
  );
}

/** oidc-provider's logout confirmation, without its external font: the form it gives plus a "yes" button. */
function logoutSource(ctx: { body: unknown }, form: string): Promise<void> {
  ctx.body = page('Déconnexion de Pro Santé Connect', `${form}<button type="submit" form="op.logoutForm" value="yes" name="logout">Se déconnecter</button>`);
  return Promise.resolve();
}

function postLogoutSuccessSource(ctx: { body: unknown }): Promise<void> {
  ctx.body = page('Déconnecté de Pro Santé Connect', '<p>Vous êtes déconnecté.</p>');
  return Promise.resolve();
}
