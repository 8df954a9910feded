/**
 * Pro Santé Connect sign-in (issue 12) against a real OpenID Connect provider (oidc-provider,
 * PSC's claims and acr), over real TLS on both sides: sign-in end to end, unknown professional
 * → prefilled registration, deactivated account refused, back-channel and front-channel logout,
 * logout started here (to the provider's end-session endpoint), the password still asked after
 * PSC where the application says so, tampered state and nonce refused, and applications that do
 * not allow PSC unchanged.
 */
import https from 'node:https';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_HOST, PASSWORD, csrfOf, freePort, startTestGateway, type TestGateway } from './helpers/gateway.ts';
import { startPscProvider, type TestPscProvider } from './helpers/psc-provider.ts';
import { openPrefill, prefillKey } from '../src/cps/prefill.ts';
import { startDemoApp, type DemoApp } from '../src/demo/app.ts';
import { deactivatePerson } from '../src/people/actions.ts';
import { sessionSecret } from '../src/app/runtime.ts';
import { unsignSessionId } from '../src/http/gateway/session-cookie.ts';
import { getSession, setSession } from '../src/session/index.ts';

const OTHER_HOST = 'labo.localhost';
/** An application that still asks for the account password after PSC (`signIn.passwordAfterPsc`). */
const PASSWORD_HOST = 'dossier.localhost';

let gw: TestGateway;
let psc: TestPscProvider;
let demo: DemoApp;
let passwordDemo: DemoApp;
let rppsCounter = 0;

function nextRpps(): string {
  rppsCounter += 1;
  return `100${String(Date.now() % 1_000_000).padStart(6, '0')}${String(rppsCounter).padStart(2, '0')}`;
}

beforeAll(async () => {
  const providerPort = await freePort();
  const demoPort = await freePort();
  const passwordDemoPort = await freePort();
  const caFile = path.join(await import('node:os').then((os) => os.tmpdir()), `psc-ca-${providerPort}.pem`);
  gw = await startTestGateway({
    overrides: {
      psc: { enabled: true, issuer: `https://localhost:${providerPort}`, clientId: 'passerelle-test', clientSecret: 'psc-test-client-secret-0123456789abcdef', caFile, acrValues: 'eidas1' },
      applications: [
        { id: 'opendrp', name: 'OpenDRP', host: APP_HOST, upstream: `http://127.0.0.1:${demoPort}`, signIn: { methods: ['personal-certificate', 'collective-certificate', 'cps-card', 'pro-sante-connect'] } },
        { id: 'labo', name: 'Labo', host: OTHER_HOST, upstream: 'http://127.0.0.1:1' },
        { id: 'dossier', name: 'Dossier', host: PASSWORD_HOST, upstream: `http://127.0.0.1:${passwordDemoPort}`, signIn: { methods: ['pro-sante-connect'], passwordAfterPsc: true } },
      ],
    },
  });
  writeFileSync(caFile, gw.runtime.pki.chainPem);
  demo = await startDemoApp({ port: demoPort, jwksUrl: `https://127.0.0.1:${gw.listeners.publicPort}/.well-known/jwks.json`, issuer: gw.config.publicUrl, audience: 'opendrp', caPem: gw.runtime.pki.chainPem, clock: gw.clock });
  passwordDemo = await startDemoApp({ port: passwordDemoPort, jwksUrl: `https://127.0.0.1:${gw.listeners.publicPort}/.well-known/jwks.json`, issuer: gw.config.publicUrl, audience: 'dossier', caPem: gw.runtime.pki.chainPem, clock: gw.clock });
  const bases = [APP_HOST, PASSWORD_HOST].map((host) => `https://${host}:${gw.listeners.gatewayPort}`);
  psc = await startPscProvider({
    port: providerPort,
    certPem: gw.runtime.pki.server.chainPem,
    keyPem: gw.runtime.pki.server.keyPem,
    redirectUris: bases.map((base) => `${base}/.passerelle/psc/callback`),
    postLogoutRedirectUris: bases.map((base) => `${base}/.passerelle/psc/logged-out`),
  });
}, 60_000);

afterAll(async () => {
  await psc?.close();
  await demo?.close();
  await passwordDemo?.close();
  await gw?.close();
});

interface Hop {
  status: number;
  location: string | null;
  body: string;
}

/** GET on the provider (localhost), with its own cookie jar. */
function providerGet(url: string, jar: Map<string, string>): Promise<Hop> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const req = https.request(target, { method: 'GET', ca: gw.runtime.pki.chainPem, headers: cookie ? { cookie } : {}, agent: false }, (res) => {
      for (const line of res.headers['set-cookie'] ?? []) {
        const [pair] = line.split(';');
        const [name, ...rest] = pair!.split('=');
        jar.set(name!.trim(), rest.join('='));
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location ? new URL(res.headers.location, url).href : null, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** POST of a form on the provider (its logout confirmation), with the same cookie jar. */
function providerPost(url: string, fields: Record<string, string>, jar: Map<string, string>): Promise<Hop> {
  return new Promise((resolve, reject) => {
    const body = new URLSearchParams(fields).toString();
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const headers = { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)), ...(cookie ? { cookie } : {}) };
    const req = https.request(new URL(url), { method: 'POST', ca: gw.runtime.pki.chainPem, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location ? new URL(res.headers.location, url).href : null, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Follows the provider's redirects (authorize → interaction → resume) until it sends the browser back to us. */
async function throughProvider(authorizeUrl: string, jar = new Map<string, string>()): Promise<URL> {
  let url = authorizeUrl;
  for (let hop = 0; hop < 10; hop += 1) {
    const answer = await providerGet(url, jar);
    if (!answer.location) throw new Error(`provider stopped at ${answer.status}: ${answer.body.replace(/<style>[\s\S]*<\/style>/, "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").slice(0, 600)}`);
    if (!answer.location.startsWith(psc.issuer)) return new URL(answer.location);
    url = answer.location;
  }
  throw new Error('too many provider redirects');
}

/** Starts PSC sign-in on the gateway (no certificate) and returns the callback URL the provider sent back. */
async function startSignIn(cookies: Map<string, string>, next = '/api/whoami', options: { host?: string; providerJar?: Map<string, string> } = {}): Promise<URL> {
  const login = await gw.request({ ...onHost(options.host), path: `/.passerelle/psc/login?next=${encodeURIComponent(next)}`, cookies });
  expect(login.status).toBe(303);
  expect(login.headers.location).toContain(`${psc.issuer}/auth?`);
  const authorize = new URL(login.headers.location!);
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorize.searchParams.get('acr_values')).toBe('eidas1');
  expect(authorize.searchParams.get('state')).toBeTruthy();
  expect(authorize.searchParams.get('nonce')).toBeTruthy();
  return throughProvider(login.headers.location!, options.providerJar);
}

/** Requests on another application host than the default (the test server certificate does not name it). */
function onHost(host: string | undefined): { host?: string; skipHostnameCheck?: boolean } {
  return host ? { host, skipHostnameCheck: true } : {};
}

async function professional(options: { grant?: boolean; application?: string } = {}) {
  const rpps = nextRpps();
  const { user } = await gw.runtime.accounts.createUser(
    { givenName: 'Paul', familyName: `Martin${rppsCounter}`, email: `psc${rppsCounter}@example.org`, establishmentId: null, password: 'correct horse battery staple', rpps },
    { name: 'test', ip: null },
  );
  if (options.grant !== false) await gw.runtime.accounts.addGrant(user.id, options.application ?? 'opendrp', { name: 'test', ip: null });
  psc.nextAccount = { rpps, givenName: 'Paul', familyName: `Martin${rppsCounter}`, professionCode: '10' };
  return { user, rpps };
}

async function signedIn(providerJar?: Map<string, string>): Promise<{ cookies: Map<string, string>; user: { id: string; identifier: string } }> {
  const { user } = await professional();
  const cookies = new Map<string, string>();
  const back = await startSignIn(cookies, '/api/whoami', providerJar ? { providerJar } : {});
  const callback = await gw.request({ path: back.pathname + back.search, cookies });
  expect(callback.status).toBe(303);
  expect(callback.headers.location).toBe('/api/whoami');
  return { cookies, user };
}

/** The psc_sessions row of the latest successful PSC sign-in of `identifier` (its id is in the audit details). */
async function sessionRowOf(identifier: string) {
  const events = await gw.runtime.storage.audit.list({ action: 'gateway.login' });
  const event = events.find((e) => e.outcome === 'success' && e.actor === identifier && (e.details as { session?: string } | null)?.session);
  return (await gw.runtime.storage.pscSessions.findById((event!.details as { session: string }).session))!;
}

const JSON_ACCEPT = { accept: 'application/json' };

describe('Pro Santé Connect sign-in', () => {
  it('signs a known professional in without a certificate; the application gets auth_method, acr and amr', async () => {
    const { cookies, user } = await signedIn();
    const whoami = await gw.request({ path: '/api/whoami', cookies, headers: { accept: 'application/json' } });
    expect(whoami.status).toBe(200);
    const body = JSON.parse(whoami.body) as { claims: Record<string, unknown>; headers: Record<string, string> };
    expect(body.claims.sub).toBe(user.id);
    expect(body.claims.auth_method).toBe('pro-sante-connect');
    expect(body.claims.acr).toBe('eidas1');
    expect(body.claims.amr).toContain('mfa');
    expect(body.claims.cnf).toBeUndefined();
    expect(body.headers['x-passerelle-auth-method']).toBe('pro-sante-connect');
    expect(body.headers['x-passerelle-user']).toBe(user.identifier);
    expect(body.headers['x-passerelle-certificate-serial']).toBeUndefined();
    const events = await gw.runtime.storage.audit.list({ action: 'gateway.login' });
    const success = events.find((e) => e.outcome === 'success' && e.actor === user.identifier);
    expect(success?.details).toMatchObject({ method: 'pro-sante-connect', acr: 'eidas1' });
  });

  it('an unknown professional gets a clear page and a registration form prefilled from the PSC claims', async () => {
    const rpps = nextRpps();
    psc.nextAccount = { rpps, givenName: 'Inès', familyName: 'Nouvelle', professionCode: '60' };
    const cookies = new Map<string, string>();
    const back = await startSignIn(cookies);
    const page = await gw.request({ path: back.pathname + back.search, cookies });
    expect(page.status).toBe(403);
    expect(page.body).toContain('data-error-code="psc_unknown_professional"');
    expect(page.body).toContain(rpps);
    const link = /href="([^"]*\/inscription\?cps=[^"]+)"/.exec(page.body)![1]!.replaceAll('&amp;', '&');
    const token = new URL(link).searchParams.get('cps');
    const prefill = await openPrefill(token, prefillKey(sessionSecret(gw.config, gw.runtime.random)[0]!), gw.clock);
    expect(prefill).toEqual({ givenName: 'Inès', familyName: 'Nouvelle', rpps, profession: 'Infirmier' });
    const form = await gw.request({ port: 'public', host: 'localhost', path: new URL(link).pathname + new URL(link).search });
    expect(form.status).toBe(200);
    expect(form.body).toContain(`value="${rpps}"`);
    expect(form.body).toContain('value="Infirmier"');
  });

  it('a deactivated account is refused at sign-in, and an open session is refused at once on deactivation', async () => {
    const { cookies, user } = await signedIn();
    expect((await gw.request({ path: '/api/whoami', cookies, headers: { accept: 'application/json' } })).status).toBe(200);
    await deactivatePerson(gw.runtime, user.id, { name: 'cell', ip: null });
    const refused = await gw.request({ path: '/api/whoami', cookies, headers: { accept: 'application/json' } });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toEqual({ error: 'account_deactivated' });
    // Signing in again: refused too.
    psc.nextAccount = { rpps: (await gw.runtime.storage.users.findById(user.id))!.rpps!, givenName: 'Paul', familyName: 'X', professionCode: '10' };
    const again = new Map<string, string>();
    const back = await startSignIn(again);
    const page = await gw.request({ path: back.pathname + back.search, cookies: again });
    expect(page.status).toBe(403);
    expect(page.body).toContain('data-error-code="account_deactivated"');
  });

  it('a back-channel logout from the provider ends the session', async () => {
    const { cookies } = await signedIn();
    expect((await gw.request({ path: '/api/whoami', cookies, headers: { accept: 'application/json' } })).status).toBe(200);
    const sessionRow = (await gw.runtime.storage.audit.list({ action: 'gateway.login' })).find((e) => e.outcome === 'success' && (e.details as { session?: string } | null)?.session);
    const row = await gw.runtime.storage.pscSessions.findById((sessionRow!.details as { session: string }).session);
    expect(row?.pscSid).toBeTruthy();
    // A token signed by someone else is refused and ends nothing.
    const forged = await gw.request({ method: 'POST', path: '/.passerelle/psc/backchannel-logout', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `logout_token=${'e30.e30.' + 'x'.repeat(20)}` });
    expect(forged.status).toBe(400);
    const latest = (await gw.runtime.storage.audit.list({ action: 'gateway.login' })).filter((e) => e.outcome === 'success')[0]!;
    const live = await gw.runtime.storage.pscSessions.findById((latest.details as { session: string }).session);
    const token = await psc.logoutToken({ sid: live!.pscSid! });
    const logout = await gw.request({ method: 'POST', path: '/.passerelle/psc/backchannel-logout', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ logout_token: token }).toString() });
    expect(logout.status).toBe(200);
    const after = await gw.request({ path: '/api/whoami', cookies, headers: { accept: 'application/json' } });
    expect(after.status).toBe(401);
    expect((await gw.runtime.storage.pscSessions.findById(live!.id))?.endedReason).toBe('back-channel');
  });

  it('a front-channel logout from the provider ends the session; another issuer or no sid ends nothing', async () => {
    const { cookies, user } = await signedIn();
    expect((await gw.request({ path: '/api/whoami', cookies, headers: JSON_ACCEPT })).status).toBe(200);
    const row = await sessionRowOf(user.identifier);
    expect(row.pscSid).toBeTruthy();
    // As the provider's frame would load it, without our cookie (a third-party frame).
    const frontChannel = (query: Record<string, string>) => gw.request({ path: `/.passerelle/psc/frontchannel-logout?${new URLSearchParams(query)}` });
    const otherIssuer = await frontChannel({ iss: 'https://elsewhere.example', sid: row.pscSid! });
    expect(otherIssuer.status).toBe(400);
    expect(JSON.parse(otherIssuer.body)).toEqual({ error: 'invalid_request' });
    expect((await frontChannel({ iss: psc.issuer })).status).toBe(400);
    expect((await gw.runtime.storage.pscSessions.findById(row.id))?.endedAt).toBeNull();
    expect((await gw.request({ path: '/api/whoami', cookies, headers: JSON_ACCEPT })).status).toBe(200);

    const logout = await frontChannel({ iss: psc.issuer, sid: row.pscSid! });
    expect(logout.status).toBe(200);
    expect(logout.headers['cache-control']).toBe('no-store');
    expect((await gw.runtime.storage.pscSessions.findById(row.id))?.endedReason).toBe('front-channel');
    const after = await gw.request({ path: '/api/whoami', cookies, headers: JSON_ACCEPT });
    expect(after.status).toBe(401);
    const audit = await gw.runtime.storage.audit.list({ action: 'gateway.logout' });
    expect(audit.find((e) => e.outcome === 'success' && (e.details as { channel?: string }).channel === 'front-channel')?.details).toMatchObject({ sessions: [row.id], users: [user.id] });
    expect(audit.some((e) => e.outcome === 'failure' && e.reason === 'psc_logout_mismatch')).toBe(true);
    // The ended session is refused with the provider's logout as the reason.
    const refused = (await gw.runtime.storage.audit.list({ action: 'gateway.session' })).find((e) => e.actor === user.identifier);
    expect(refused).toMatchObject({ outcome: 'failure', reason: 'provider_logout' });
  });

  it('signing out here ends our session and sends the browser to the provider end-session endpoint (id_token_hint, post_logout_redirect_uri)', async () => {
    const providerJar = new Map<string, string>();
    const { cookies, user } = await signedIn(providerJar);
    const row = await sessionRowOf(user.identifier);
    const confirm = await gw.request({ path: '/.passerelle/logout', cookies });
    expect(confirm.status).toBe(200);
    expect(confirm.body).toContain('action="/.passerelle/psc/logout"');
    // The POST is answered by a redirect to the provider: the page lets the form go there.
    expect(confirm.headers['content-security-policy']).toContain(`form-action 'self' ${psc.issuer}`);
    const post = (fields: Record<string, string>) =>
      gw.request({ method: 'POST', path: '/.passerelle/psc/logout', cookies, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
    // Without the form's token: refused, nothing ended.
    expect((await post({})).status).toBe(403);
    expect((await gw.runtime.storage.pscSessions.findById(row.id))?.endedAt).toBeNull();
    expect((await gw.request({ path: '/api/whoami', cookies, headers: JSON_ACCEPT })).status).toBe(200);

    const logout = await post({ csrf: csrfOf(confirm.body) });
    expect(logout.status).toBe(303);
    const endSession = new URL(logout.headers.location!);
    expect(endSession.origin + endSession.pathname).toBe(`${psc.issuer}/session/end`);
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`https://${APP_HOST}:${gw.listeners.gatewayPort}/.passerelle/psc/logged-out`);
    const hint = endSession.searchParams.get('id_token_hint')!;
    const hintClaims = JSON.parse(Buffer.from(hint.split('.')[1]!, 'base64url').toString()) as { iss: string; sid: string };
    expect(hintClaims).toMatchObject({ iss: psc.issuer, sid: row.pscSid });
    // Ours is over at once, whatever the provider does next.
    expect((await gw.runtime.storage.pscSessions.findById(row.id))?.endedReason).toBe('logout');
    expect((await gw.request({ path: '/api/whoami', cookies, headers: JSON_ACCEPT })).status).toBe(401);
    const audit = (await gw.runtime.storage.audit.list({ action: 'gateway.logout' })).find((e) => e.actor === user.identifier);
    expect(audit).toMatchObject({ outcome: 'success', details: { channel: 'relying-party', session: row.id } });

    // The provider accepts the hint (its session, our client): its confirmation, then back to our page.
    const providerPage = await providerGet(endSession.href, providerJar);
    expect(providerPage.status).toBe(200);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(providerPage.body)![1]!;
    const action = new URL(/action="([^"]+)"/.exec(providerPage.body)![1]!, psc.issuer).href;
    const confirmed = await providerPost(action, { xsrf, logout: 'yes' }, providerJar);
    expect(confirmed.status).toBe(303);
    expect(confirmed.location).toBe(`https://${APP_HOST}:${gw.listeners.gatewayPort}/.passerelle/psc/logged-out`);
    const loggedOut = await gw.request({ path: '/.passerelle/psc/logged-out', cookies });
    expect(loggedOut.status).toBe(200);
    expect(loggedOut.body).toContain('Déconnexion effectuée');
  });

  it('passwordAfterPsc: the account password is still asked after PSC before the application opens', async () => {
    const { user } = await professional({ application: 'dossier' });
    const cookies = new Map<string, string>();
    const host = onHost(PASSWORD_HOST);
    const back = await startSignIn(cookies, '/api/whoami', { host: PASSWORD_HOST });
    const callback = await gw.request({ ...host, path: back.pathname + back.search, cookies });
    expect(callback.status).toBe(303);
    expect(callback.headers.location).toBe('/.passerelle/psc/password?next=%2Fapi%2Fwhoami');
    // Not in yet: a script is told why, a browser is sent to the password form.
    const pending = await gw.request({ ...host, path: '/api/whoami', cookies, headers: JSON_ACCEPT });
    expect(pending.status).toBe(401);
    expect(JSON.parse(pending.body)).toEqual({ error: 'password_required' });
    const browser = await gw.request({ ...host, path: '/dossier/7', cookies });
    expect(browser.status).toBe(303);
    expect(browser.headers.location).toBe('/.passerelle/psc/password?next=%2Fdossier%2F7');

    const form = await gw.request({ ...host, path: callback.headers.location!, cookies });
    expect(form.status).toBe(200);
    expect(form.body).toContain(user.identifier);
    const post = (fields: Record<string, string>) =>
      gw.request({ ...host, method: 'POST', path: '/.passerelle/psc/password', cookies, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
    expect((await post({ password: PASSWORD, next: '/api/whoami' })).status).toBe(403);
    const wrong = await post({ csrf: csrfOf(form.body), password: 'not the password', next: '/api/whoami' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toContain('id="login-error"');
    expect((await gw.request({ ...host, path: '/api/whoami', cookies, headers: JSON_ACCEPT })).status).toBe(401);
    const wrongEvent = (await gw.runtime.storage.audit.list({ action: 'gateway.login' })).find((e) => e.actor === user.identifier && e.reason === 'wrong_password');
    expect(wrongEvent?.details).toMatchObject({ method: 'pro-sante-connect' });

    const right = await post({ csrf: csrfOf(wrong.body), password: PASSWORD, next: '/api/whoami' });
    expect(right.status).toBe(303);
    expect(right.headers.location).toBe('/api/whoami');
    const whoami = await gw.request({ ...host, path: '/api/whoami', cookies, headers: JSON_ACCEPT });
    expect(whoami.status).toBe(200);
    expect((JSON.parse(whoami.body) as { claims: Record<string, unknown> }).claims).toMatchObject({ sub: user.id, aud: 'dossier', auth_method: 'pro-sante-connect', acr: 'eidas1' });
    // Given once per session: the form is not shown again (the path goes on to the application).
    expect((await gw.request({ ...host, path: '/.passerelle/psc/password', cookies })).body).not.toContain('action="/.passerelle/psc/password"');
  });

  it('passwordAfterPsc: wrong passwords lock the account as at any login, and the PSC session ends', async () => {
    const { user } = await professional({ application: 'dossier' });
    const cookies = new Map<string, string>();
    const host = onHost(PASSWORD_HOST);
    const back = await startSignIn(cookies, '/api/whoami', { host: PASSWORD_HOST });
    await gw.request({ ...host, path: back.pathname + back.search, cookies });
    let page = await gw.request({ ...host, path: '/.passerelle/psc/password?next=%2F', cookies });
    for (let attempt = 1; attempt <= gw.config.lockout.maxFailures; attempt += 1) {
      page = await gw.request({ ...host, method: 'POST', path: '/.passerelle/psc/password', cookies, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf: csrfOf(page.body), password: `wrong ${attempt}`, next: '/' }).toString() });
      if (attempt < gw.config.lockout.maxFailures) expect(page.status).toBe(401);
    }
    expect(page.status).toBe(403);
    expect(errorCodeOf(page.body)).toBe('account_locked');
    expect((await gw.runtime.storage.users.findById(user.id))?.status).toBe('locked');
    const rows = (await gw.runtime.storage.audit.list({ action: 'gateway.login' })).filter((e) => e.actor === user.identifier);
    expect(rows.filter((e) => e.reason === 'wrong_password' || e.reason === 'account_locked').length).toBeGreaterThanOrEqual(gw.config.lockout.maxFailures);
    expect((await gw.request({ ...host, path: '/api/whoami', cookies, headers: JSON_ACCEPT })).status).toBe(401);
  });

  it('a tampered state is refused and opens nothing', async () => {
    await professional();
    const cookies = new Map<string, string>();
    const back = await startSignIn(cookies);
    back.searchParams.set('state', 'tampered-state');
    const page = await gw.request({ path: back.pathname + back.search, cookies });
    expect(page.status).toBe(400);
    expect(errorCodeOf(page.body)).toBe("psc_state_mismatch");
    expect((await gw.request({ path: '/api/whoami', cookies, headers: { accept: 'application/json' } })).status).toBe(401);
  });

  it('a nonce that does not match the one sent is refused', async () => {
    await professional();
    const cookies = new Map<string, string>();
    const back = await startSignIn(cookies);
    // The nonce kept for this sign-in no longer matches the one the provider put in the ID token.
    const cookieName = gw.config.session.cookieName;
    const sid = unsignSessionId(`${cookieName}=${cookies.get(cookieName)}`, cookieName, sessionSecret(gw.config, gw.runtime.random)[0]!)!;
    const data = (await getSession(gw.sessions.store, sid))!;
    data.pscFlow!.nonce = 'tampered-nonce';
    await setSession(gw.sessions.store, sid, data);
    const page = await gw.request({ path: back.pathname + back.search, cookies });
    expect(page.status).toBe(400);
    expect(errorCodeOf(page.body)).toBe('psc_nonce_mismatch');
    expect((await gw.request({ path: '/api/whoami', cookies, headers: { accept: 'application/json' } })).status).toBe(401);
  });

  it('without a certificate or session, a PSC application offers the button; other applications are unchanged (certificate required)', async () => {
    const page = await gw.request({ path: '/dossier' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('Se connecter avec Pro Santé Connect');
    expect(page.body).toContain('/.passerelle/psc/login?next=%2Fdossier');
    const other = await gw.request({ host: OTHER_HOST, path: '/', skipHostnameCheck: true });
    expect(other.status).toBe(496);
    expect((await gw.request({ host: OTHER_HOST, path: '/.passerelle/psc/login', skipHostnameCheck: true })).status).toBe(496);
  });
});


function errorCodeOf(body: string): string | null {
  return /data-error-code="([a-z_]+)"/.exec(body)?.[1] ?? null;
}
