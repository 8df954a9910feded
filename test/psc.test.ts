/**
 * Pro Santé Connect sign-in (issue 12) against a real OpenID Connect provider (oidc-provider,
 * PSC's claims and acr), over real TLS on both sides: sign-in end to end, unknown professional
 * → prefilled registration, deactivated account refused, back-channel logout, tampered state
 * and nonce refused, and applications that do not allow PSC unchanged.
 */
import https from 'node:https';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_HOST, freePort, startTestGateway, type TestGateway } from './helpers/gateway.ts';
import { startPscProvider, type TestPscProvider } from './helpers/psc-provider.ts';
import { openPrefill, prefillKey } from '../src/cps/prefill.ts';
import { startDemoApp, type DemoApp } from '../src/demo/app.ts';
import { deactivatePerson } from '../src/people/actions.ts';
import { sessionSecret } from '../src/app/runtime.ts';
import { unsignSessionId } from '../src/http/gateway/session-cookie.ts';
import { getSession, setSession } from '../src/session/index.ts';

const OTHER_HOST = 'labo.localhost';

let gw: TestGateway;
let psc: TestPscProvider;
let demo: DemoApp;
let rppsCounter = 0;

function nextRpps(): string {
  rppsCounter += 1;
  return `100${String(Date.now() % 1_000_000).padStart(6, '0')}${String(rppsCounter).padStart(2, '0')}`;
}

beforeAll(async () => {
  const providerPort = await freePort();
  const demoPort = await freePort();
  const caFile = path.join(await import('node:os').then((os) => os.tmpdir()), `psc-ca-${providerPort}.pem`);
  gw = await startTestGateway({
    overrides: {
      psc: { enabled: true, issuer: `https://localhost:${providerPort}`, clientId: 'passerelle-test', clientSecret: 'psc-test-client-secret-0123456789abcdef', caFile, acrValues: 'eidas1' },
      applications: [
        { id: 'opendrp', name: 'OpenDRP', host: APP_HOST, upstream: `http://127.0.0.1:${demoPort}`, signIn: { methods: ['personal-certificate', 'collective-certificate', 'cps-card', 'pro-sante-connect'] } },
        { id: 'labo', name: 'Labo', host: OTHER_HOST, upstream: 'http://127.0.0.1:1' },
      ],
    },
  });
  writeFileSync(caFile, gw.runtime.pki.chainPem);
  demo = await startDemoApp({ port: demoPort, jwksUrl: `https://127.0.0.1:${gw.listeners.publicPort}/.well-known/jwks.json`, issuer: gw.config.publicUrl, audience: 'opendrp', caPem: gw.runtime.pki.chainPem, clock: gw.clock });
  const base = `https://${APP_HOST}:${gw.listeners.gatewayPort}`;
  psc = await startPscProvider({ port: providerPort, certPem: gw.runtime.pki.server.chainPem, keyPem: gw.runtime.pki.server.keyPem, redirectUris: [`${base}/.passerelle/psc/callback`], postLogoutRedirectUris: [`${base}/.passerelle/psc/logged-out`] });
}, 60_000);

afterAll(async () => {
  await psc?.close();
  await demo?.close();
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

/** Follows the provider's redirects (authorize → interaction → resume) until it sends the browser back to us. */
async function throughProvider(authorizeUrl: string): Promise<URL> {
  const jar = new Map<string, string>();
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
async function startSignIn(cookies: Map<string, string>, next = '/api/whoami'): Promise<URL> {
  const login = await gw.request({ path: `/.passerelle/psc/login?next=${encodeURIComponent(next)}`, cookies });
  expect(login.status).toBe(303);
  expect(login.headers.location).toContain(`${psc.issuer}/auth?`);
  const authorize = new URL(login.headers.location!);
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorize.searchParams.get('acr_values')).toBe('eidas1');
  expect(authorize.searchParams.get('state')).toBeTruthy();
  expect(authorize.searchParams.get('nonce')).toBeTruthy();
  return throughProvider(login.headers.location!);
}

async function professional(options: { grant?: boolean } = {}) {
  const rpps = nextRpps();
  const { user } = await gw.runtime.accounts.createUser(
    { givenName: 'Paul', familyName: `Martin${rppsCounter}`, email: `psc${rppsCounter}@example.org`, establishmentId: null, password: 'correct horse battery staple', rpps },
    { name: 'test', ip: null },
  );
  if (options.grant !== false) await gw.runtime.accounts.addGrant(user.id, 'opendrp', { name: 'test', ip: null });
  psc.nextAccount = { rpps, givenName: 'Paul', familyName: `Martin${rppsCounter}`, professionCode: '10' };
  return { user, rpps };
}

async function signedIn(): Promise<{ cookies: Map<string, string>; user: { id: string; identifier: string } }> {
  const { user } = await professional();
  const cookies = new Map<string, string>();
  const back = await startSignIn(cookies);
  const callback = await gw.request({ path: back.pathname + back.search, cookies });
  expect(callback.status).toBe(303);
  expect(callback.headers.location).toBe('/api/whoami');
  return { cookies, user };
}

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
