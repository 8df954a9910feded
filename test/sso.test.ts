/**
 * Portal tiles and single sign-on (issue 5): a tile click mints a 60-second, single-use ticket;
 * on the application host it opens the session without the password only with a personal
 * certificate of the same person. Real TLS listeners, real storage, ManualClock for expiry.
 */
import { accessibilityProblems, chromiumArgs, chromiumExecutable, loopbackInNode } from './helpers/browser.ts';
import { createHash, X509Certificate } from 'node:crypto';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_HOST, PASSWORD, csrfOf, errorCode, signIn, startTestGateway, type ClientCertificate, type Response, type TestGateway } from './helpers/gateway.ts';
import { databaseBackends, sessionBackends } from './helpers/backends.ts';
import { t } from '../src/http/i18n/index.ts';
import type { User } from '../src/model/index.ts';
import { resolveCertificate } from '../src/authentication/certificate.ts';
import { redeemTicket } from '../src/sso/tickets.ts';

const CHROMIUM_ARGS = chromiumArgs();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const JSON_ACCEPT = { accept: 'application/json' };
const MINUTE = 60_000;
const actor = { name: 'test', ip: null };

/** A browser on the portal (public listener): a cookie jar, GET and form POST. */
class Portal {
  readonly cookies = new Map<string, string>();
  constructor(private readonly gw: TestGateway) {}
  get(path: string): Promise<Response> {
    return this.gw.request({ port: 'public', host: 'localhost', path, cookies: this.cookies });
  }
  post(path: string, fields: Record<string, string>): Promise<Response> {
    return this.gw.request({ port: 'public', host: 'localhost', method: 'POST', path, cookies: this.cookies, headers: FORM, body: new URLSearchParams(fields).toString() });
  }
  async login(user: User): Promise<void> {
    const form = await this.get('/connexion');
    const res = await this.post('/connexion', { csrf: csrfOf(form.body), identifier: user.identifier, password: PASSWORD });
    expect(res.status).toBe(303);
  }
  /** Clicks the application's tile on the home page: the redirect's Location. */
  async tile(applicationId = 'opendrp'): Promise<string> {
    const home = await this.get('/');
    const res = await this.post(`/applications/${applicationId}/ouvrir`, { csrf: csrfOf(home.body) });
    expect(res.status).toBe(303);
    return res.headers.location!;
  }
}

interface Whoami {
  verified: boolean;
  claims: Record<string, unknown>;
  headers: Record<string, string>;
}

function text(body: string): string {
  return body
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/[ \t\r\n\u00a0\u202f]+/g, ' ');
}

/** What the French login form says for `?sso=<notice>`, spaces normalised like `text`. */
function noticeText(notice: 'expired' | 'used' | 'invalid' | 'shared' | 'other_person'): string {
  return t('fr', `sso.notice.${notice}`).replace(/[\u00a0\u202f]/g, ' ');
}

const matrix = databaseBackends().flatMap((db) => sessionBackends().map((s) => ({ name: `${db.name} + ${s.name} sessions`, databaseUrl: db.url, redisUrl: s.url })));

describe.each(matrix)('portal single sign-on on $name', ({ databaseUrl, redisUrl }) => {
  let gw: TestGateway;
  let origin: string;
  beforeAll(async () => {
    gw = await startTestGateway({ databaseUrl, redisUrl });
    origin = `https://${APP_HOST}:${gw.listeners.gatewayPort}`;
  });
  afterAll(async () => {
    await gw?.close();
  });

  async function person(options: { grant?: boolean; establishmentId?: string } = {}): Promise<{ user: User; cert: ClientCertificate; portal: Portal }> {
    const user = await gw.user(options);
    const cert = await gw.personalCertificate(user);
    const portal = new Portal(gw);
    await portal.login(user);
    return { user, cert, portal };
  }

  /** Follows the tile's redirect on the gateway, as the browser would, presenting `cert`. */
  function redeem(location: string, cert: ClientCertificate, cookies = new Map<string, string>(), host = APP_HOST): Promise<Response> {
    const url = new URL(location);
    return gw.request({ host, path: `${url.pathname}${url.search}`, cert, cookies });
  }

  async function ticketRows(userId: string): Promise<Array<Record<string, unknown>>> {
    return gw.runtime.storage.db.all('SELECT * FROM sso_tickets WHERE user_id = ? ORDER BY created_at', [userId]);
  }

  async function audit(action: string, subject: string) {
    return gw.runtime.storage.audit.list({ action, subject });
  }

  describe('tiles on the portal', () => {
    it('shows a tile only for granted applications, and refuses a ticket for any other', async () => {
      const { user, portal } = await person({ grant: false });
      const before = await portal.get('/');
      expect(before.body).not.toContain('class="tile"');
      expect(text(before.body)).toContain(t('fr', 'portal.home.noApplications'));

      const refused = await portal.post('/applications/opendrp/ouvrir', { csrf: csrfOf(before.body) });
      expect(refused.status).toBe(403);
      expect(errorCode(refused.body)).toBe('no_access');
      expect((await portal.post('/applications/inconnue/ouvrir', { csrf: csrfOf(before.body) })).status).toBe(404);
      expect(await ticketRows(user.id)).toHaveLength(0);
      expect((await audit('sso.ticket', user.identifier)).map((e) => `${e.outcome} ${e.reason}`).sort()).toEqual(['failure no_access', 'failure unknown_application']);

      await gw.runtime.accounts.addGrant(user.id, 'opendrp', actor);
      const home = await portal.get('/');
      expect(home.body).toMatch(/<form method="post" action="\/applications\/opendrp\/ouvrir"><input type="hidden" name="csrf" value="[^"]+"\/><button type="submit" class="tile" aria-label="Ouvrir OpenDRP" data-application="opendrp">OpenDRP<\/button><\/form>/);
      // The tile's redirect leaves the portal's origin: this page's form-action allows exactly that origin.
      expect(home.headers['content-security-policy']).toContain(`form-action 'self' ${origin};`);
      expect(home.headers['content-security-policy']).toContain("default-src 'self'");

      await gw.runtime.accounts.revokeGrant(user.id, 'opendrp', actor);
      expect((await portal.get('/')).body).not.toContain('class="tile"');
      expect((await portal.post('/applications/opendrp/ouvrir', { csrf: csrfOf(home.body) })).status).toBe(403);
      expect(await ticketRows(user.id)).toHaveLength(0);
    });

    it('a tile posted without its CSRF token, or signed out, mints nothing', async () => {
      const { user, portal } = await person();
      const forged = await portal.post('/applications/opendrp/ouvrir', {});
      expect(forged.status).toBe(403);
      expect(errorCode(forged.body)).toBe('invalid_csrf_token');
      const anonymous = new Portal(gw);
      const form = await anonymous.get('/connexion');
      const signedOut = await anonymous.post('/applications/opendrp/ouvrir', { csrf: csrfOf(form.body) });
      expect(signedOut.status).toBe(303);
      expect(signedOut.headers.location).toMatch(/^\/connexion/);
      expect(await ticketRows(user.id)).toHaveLength(0);
    });

    it('stores only a hash of a 256-bit ticket that lives 60 seconds', async () => {
      const { user, portal } = await person();
      const location = await portal.tile();
      const url = new URL(location);
      expect(`${url.origin}${url.pathname}`).toBe(`${origin}/.passerelle/sso`);
      expect([...url.searchParams.keys()]).toEqual(['ticket', 'next']);
      expect(url.searchParams.get('next')).toBe('/');
      const ticket = url.searchParams.get('ticket')!;
      expect(ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(ticket, 'base64url')).toHaveLength(32);

      const [row] = await ticketRows(user.id);
      expect(row).toMatchObject({ ticket_hash: createHash('sha256').update(ticket).digest('hex'), application_id: 'opendrp', used_at: null });
      expect(Number(row!.expires_at) - Number(row!.created_at)).toBe(MINUTE);
      const stored = JSON.stringify([await gw.runtime.storage.db.all('SELECT * FROM sso_tickets'), await gw.runtime.storage.audit.list({ limit: 10_000 })]);
      expect(stored).not.toContain(ticket);
      const [issued] = await audit('sso.ticket', user.identifier);
      expect(issued).toMatchObject({ outcome: 'success', actor: user.identifier, applicationId: 'opendrp', details: { ticketId: row!.id, expiresAt: Number(row!.expires_at) } });
    });
  });

  describe('on the application host', () => {
    it('a personal certificate of the same person lands in the application with the identity headers, no password asked', async () => {
      const { user, cert, portal } = await person();
      const failuresBefore = (await gw.runtime.storage.users.findById(user.id))!.failedLogins;
      const cookies = new Map<string, string>();
      const landed = await redeem(await portal.tile(), cert, cookies);
      expect(landed.status).toBe(303);
      expect(landed.headers.location).toBe('/');
      expect(landed.headers['cache-control']).toBe('no-store');
      expect(cookies.has(gw.config.session.cookieName)).toBe(true);

      const who = await gw.request({ path: '/api/whoami', cert, cookies, headers: JSON_ACCEPT });
      expect(who.status).toBe(200);
      const body = JSON.parse(who.body) as Whoami;
      expect(body.verified).toBe(true);
      expect(body.headers).toMatchObject({
        'x-passerelle-user': user.identifier,
        'x-passerelle-auth-method': 'personal-certificate',
        'x-passerelle-certificate-serial': cert.serial,
        'x-passerelle-certificate-sha256': cert.fingerprint,
      });
      // Both factors were presented — the password at the portal, the certificate here: same amr as a password login.
      expect(body.claims).toMatchObject({ preferred_username: user.identifier, auth_method: 'personal-certificate', amr: ['swk', 'pwd', 'mfa'], aud: 'opendrp' });

      const [login] = await audit('gateway.login', user.identifier);
      expect(login).toMatchObject({ outcome: 'success', reason: 'sso-ticket', actor: user.identifier, certificateSerial: cert.serial, applicationId: 'opendrp', details: { method: 'sso-ticket', certificateKind: 'personal' } });
      expect((await gw.runtime.storage.users.findById(user.id))!.failedLogins).toBe(failuresBefore);
      const [row] = await ticketRows(user.id);
      expect(row!.used_at).not.toBeNull();
    });

    it('follows `next` only to a path of the same host', async () => {
      const { cert, portal } = await person();
      const withNext = async (next: string) => {
        const url = new URL(await portal.tile());
        url.searchParams.set('next', next);
        return (await redeem(url.toString(), cert)).headers.location;
      };
      expect(await withNext('/api/whoami?x=1')).toBe('/api/whoami?x=1');
      expect(await withNext('https://evil.example/')).toBe('/');
      expect(await withNext('//evil.example/')).toBe('/');
      expect(await withNext('/\\evil.example')).toBe('/');
      expect(await withNext('/.passerelle/sso?ticket=x')).toBe('/');
    });

    it('a ticket works once, even when two requests race for it', async () => {
      const { user, cert, portal } = await person();
      const location = await portal.tile();
      const jars = [new Map<string, string>(), new Map<string, string>()];
      const results = await Promise.all(jars.map((jar) => redeem(location, cert, jar)));
      expect(results.map((r) => r.status)).toEqual([303, 303]);
      const locations = results.map((r) => r.headers.location!);
      expect([...locations].sort()).toEqual(['/', '/.passerelle/login?next=%2F&sso=used']);

      const loser = jars[locations.indexOf('/.passerelle/login?next=%2F&sso=used')]!;
      expect((await gw.request({ path: '/api/whoami', cert, cookies: loser, headers: JSON_ACCEPT })).status).toBe(401);
      const form = await gw.request({ path: '/.passerelle/login?next=%2F&sso=used', cert, cookies: loser });
      expect(form.status).toBe(200);
      expect(form.body).toContain(`value="${user.identifier}"`);
      expect(text(form.body)).toContain(noticeText('used'));

      // Later, from a new browser: still spent.
      expect((await redeem(location, cert)).headers.location).toBe('/.passerelle/login?next=%2F&sso=used');
      const refusals = await audit('gateway.sso', user.identifier);
      expect(refusals.map((e) => `${e.outcome} ${e.reason}`)).toEqual(['failure ticket_used', 'failure ticket_used']);
      expect((await audit('gateway.login', user.identifier)).filter((e) => e.outcome === 'success')).toHaveLength(1);
    });

    it('an expired ticket is refused: 60 seconds, on the injected clock', async () => {
      const { user, cert, portal } = await person();
      const inTime = await portal.tile();
      gw.clock.advance(MINUTE - 1_000);
      expect((await redeem(inTime, cert)).headers.location).toBe('/');

      const late = await portal.tile();
      gw.clock.advance(MINUTE);
      const cookies = new Map<string, string>();
      const refused = await redeem(late, cert, cookies);
      expect(refused.headers.location).toBe('/.passerelle/login?next=%2F&sso=expired');
      expect((await gw.request({ path: '/api/whoami', cert, cookies, headers: JSON_ACCEPT })).status).toBe(401);
      const form = await gw.request({ path: refused.headers.location!, cert, cookies });
      expect(text(form.body)).toContain(noticeText('expired'));
      const [event] = await audit('gateway.sso', user.identifier);
      expect(event).toMatchObject({ outcome: 'failure', reason: 'ticket_expired', certificateSerial: cert.serial });
      // Spent all the same: presenting it again says "used", not "expired".
      expect((await redeem(late, cert)).headers.location).toBe('/.passerelle/login?next=%2F&sso=used');
    });

    it("a ticket presented with another person's certificate is refused, audited and burnt", async () => {
      const alice = await person();
      const bob = await person();
      const location = await alice.portal.tile();
      const cookies = new Map<string, string>();
      const refused = await redeem(location, bob.cert, cookies);
      expect(refused.headers.location).toBe('/.passerelle/login?next=%2F&sso=other_person');
      expect((await gw.request({ path: '/api/whoami', cert: bob.cert, cookies, headers: JSON_ACCEPT })).status).toBe(401);
      // Bob gets his own login form (his identifier, fixed by his certificate), with the reason.
      const form = await gw.request({ path: refused.headers.location!, cert: bob.cert, cookies });
      expect(form.body).toContain(`value="${bob.user.identifier}"`);
      expect(form.body).not.toContain(alice.user.identifier);
      expect(text(form.body)).toContain(noticeText('other_person'));

      const [event] = await audit('gateway.sso', alice.user.identifier);
      expect(event).toMatchObject({ outcome: 'failure', reason: 'other_person', actor: bob.user.identifier, subject: alice.user.identifier, certificateSerial: bob.cert.serial, applicationId: 'opendrp' });
      expect(event!.details).toMatchObject({ certificateKind: 'personal', ticketApplicationId: 'opendrp' });
      // Alice can no longer use it either.
      expect((await redeem(location, alice.cert)).headers.location).toBe('/.passerelle/login?next=%2F&sso=used');
      expect((await audit('gateway.login', alice.user.identifier)).filter((e) => e.outcome === 'success')).toHaveLength(0);
    });

    it('a collective certificate still asks for the password (and ends the previous person’s session there)', async () => {
      const establishment = await gw.establishment('Maison de santé des Tilleuls');
      const shared = await gw.collectiveCertificate(establishment, 'Accueil');
      const member = await person({ establishmentId: establishment.id });
      const colleague = await gw.user({ establishmentId: establishment.id });

      // The colleague left a session open on the shared workstation.
      const { cookies } = await signIn(gw, shared, PASSWORD, colleague.identifier);
      expect((await gw.request({ path: '/api/whoami', cert: shared, cookies, headers: JSON_ACCEPT })).status).toBe(200);

      const refused = await redeem(await member.portal.tile(), shared, cookies);
      expect(refused.headers.location).toBe('/.passerelle/login?next=%2F&sso=shared');
      expect((await gw.request({ path: '/api/whoami', cert: shared, cookies, headers: JSON_ACCEPT })).status).toBe(401);
      const form = await gw.request({ path: refused.headers.location!, cert: shared, cookies });
      expect(form.status).toBe(200);
      // Collective mode: an empty identifier field the person fills in (not fixed by the certificate).
      const field = /<input id="identifier"[^>]*>/.exec(form.body)?.[0];
      expect(field).toMatch(/ value /);
      expect(field).not.toMatch(/readonly/i);
      expect(text(form.body)).toContain(noticeText('shared'));
      const [event] = await audit('gateway.sso', member.user.identifier);
      expect(event).toMatchObject({ outcome: 'failure', reason: 'collective_certificate', actor: null, certificateSerial: shared.serial });

      // The password opens it as usual.
      const login = await gw.request({
        method: 'POST',
        path: '/.passerelle/login',
        cert: shared,
        cookies,
        headers: FORM,
        body: new URLSearchParams({ csrf: csrfOf(form.body), identifier: member.user.identifier, password: PASSWORD, next: '/api/whoami' }).toString(),
      });
      expect(login.headers.location).toBe('/api/whoami');
      const who = JSON.parse((await gw.request({ path: '/api/whoami', cert: shared, cookies, headers: JSON_ACCEPT })).body) as Whoami;
      expect(who.headers).toMatchObject({ 'x-passerelle-user': member.user.identifier, 'x-passerelle-auth-method': 'collective-certificate' });
    });

    it('a ticket is bound to its application, and a made-up or missing one opens nothing', async () => {
      const { user, cert, portal } = await person();
      const location = await portal.tile();
      // The console host refuses a clinician's certificate before reading anything: the ticket is untouched.
      const console_ = await redeem(location, cert, new Map(), 'console.localhost');
      expect(console_.status).toBe(403);
      expect(errorCode(console_.body)).toBe('not_coordinator');
      // Presented for another application, the ticket is refused (and spent).
      const ticket = new URL(location).searchParams.get('ticket');
      const resolution = await resolveCertificate({ der: new X509Certificate(cert.certPem).raw, authorized: true, authorizationError: null }, gw.runtime.storage, gw.clock);
      if (!resolution.ok) throw new Error(resolution.reason);
      const elsewhere = await redeemTicket(gw.runtime, { ticket, certificate: resolution.context, applicationId: 'autre-application', ip: null });
      expect(elsewhere).toMatchObject({ ok: false, reason: 'wrong_application', ticketUserId: user.id });
      expect((await redeem(location, cert)).headers.location).toBe('/.passerelle/login?next=%2F&sso=used');

      const made = `${origin}/.passerelle/sso?ticket=${Buffer.alloc(32, 7).toString('base64url')}&next=%2F`;
      expect((await redeem(made, cert)).headers.location).toBe('/.passerelle/login?next=%2F&sso=invalid');
      expect((await redeem(`${origin}/.passerelle/sso?ticket=%27%3Cscript%3E&next=%2F`, cert)).headers.location).toBe('/.passerelle/login?next=%2F&sso=invalid');
      const cookies = new Map<string, string>();
      const missing = await redeem(`${origin}/.passerelle/sso`, cert, cookies);
      expect(missing.headers.location).toBe('/.passerelle/login?next=%2F&sso=invalid');
      expect(text((await gw.request({ path: missing.headers.location!, cert, cookies })).body)).toContain(noticeText('invalid'));

      const reasons = (await gw.runtime.storage.audit.list({ action: 'gateway.sso', actor: user.identifier })).map((e) => `${e.applicationId} ${e.reason}`);
      expect(reasons).toEqual(['opendrp ticket_missing', 'opendrp ticket_unknown', 'opendrp ticket_unknown', 'opendrp ticket_used', 'autre-application wrong_application']);
    });

    it('a locked account gets the explanation, not a session', async () => {
      const { user, cert, portal } = await person();
      const location = await portal.tile();
      await gw.runtime.storage.users.setStatus(user.id, 'locked', gw.clock.now().getTime());
      const cookies = new Map<string, string>();
      const refused = await redeem(location, cert, cookies);
      expect(refused.status).toBe(403);
      expect(errorCode(refused.body)).toBe('account_locked');
      expect(cookies.has(gw.config.session.cookieName)).toBe(false);
      const [event] = await audit('gateway.login', user.identifier);
      expect(event).toMatchObject({ outcome: 'failure', reason: 'account_locked', details: { method: 'sso-ticket' } });
    });

    it('the gateway session ends when the portal password login would have (absolute limit kept)', async () => {
      const { cert, portal } = await person();
      const absoluteMs = gw.config.session.absoluteTimeoutHours * 3_600_000;
      const idleMs = gw.config.session.idleTimeoutMinutes * MINUTE;
      // Keep the portal session alive until 10 minutes before its absolute limit.
      let elapsed = 0;
      while (elapsed + idleMs - MINUTE < absoluteMs - 10 * MINUTE) {
        gw.clock.advance(idleMs - MINUTE);
        elapsed += idleMs - MINUTE;
        expect((await portal.get('/')).body).toContain('data-page="portal-home"');
      }
      gw.clock.advance(absoluteMs - 10 * MINUTE - elapsed);
      const cookies = new Map<string, string>();
      expect((await redeem(await portal.tile(), cert, cookies)).headers.location).toBe('/');
      expect((await gw.request({ path: '/api/whoami', cert, cookies, headers: JSON_ACCEPT })).status).toBe(200);
      // A password typed now would last hours more; the ticket's session ends with the portal's.
      gw.clock.advance(11 * MINUTE);
      const after = await gw.request({ path: '/api/whoami', cert, cookies, headers: JSON_ACCEPT });
      expect(after.status).toBe(401);
      expect(JSON.parse(after.body)).toEqual({ error: 'session_expired' });
    });
  });
});

describe('a portal tile in Chromium', () => {
  let gw: TestGateway;
  let browser: Browser;
  let restoreLookup = (): void => undefined;

  beforeAll(async () => {
    gw = await startTestGateway();
    // Playwright presents client certificates through a proxy in this process, which resolves the host
    // with Node's resolver — and *.localhost does not resolve there (see DESIGN.md): point it at loopback.
    restoreLookup = loopbackInNode(APP_HOST);
    browser = await chromium.launch({ executablePath: await chromiumExecutable(), args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP ${APP_HOST} 127.0.0.1`] });
  });
  afterAll(async () => {
    restoreLookup();
    await browser?.close();
    await gw?.close();
  });

  it('one click from the portal opens the application, signed in, without the password', async () => {
    const user = await gw.user();
    const cert = await gw.personalCertificate(user);
    const portal = `https://localhost:${gw.listeners.publicPort}`;
    const application = `https://${APP_HOST}:${gw.listeners.gatewayPort}`;
    const context = await browser.newContext({
      ignoreHTTPSErrors: true,
      locale: 'fr-FR',
      clientCertificates: [{ origin: application, cert: Buffer.from(cert.certPem), key: Buffer.from(cert.keyPem) }],
    });
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
      });

      await page.goto(`${portal}/connexion`);
      await page.fill('#f-identifier', user.identifier);
      await page.fill('#f-password', PASSWORD);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.waitForURL(`${portal}/`);
      const tile = page.getByRole('button', { name: 'Ouvrir OpenDRP' });
      expect(await tile.textContent()).toBe('OpenDRP');

      // axe runs through the DevTools protocol: the page's CSP (no inline script) stays in force.
      expect(await accessibilityProblems(page)).toEqual([]);

      await tile.click();
      await page.waitForURL(`${application}/`);
      expect(await page.textContent('h1')).toContain(`connecté en tant que ${user.givenName} ${user.familyName} (${user.identifier})`);
      expect(await page.textContent('body')).toContain('personal-certificate');

      const [login] = await gw.runtime.storage.audit.list({ action: 'gateway.login', subject: user.identifier });
      expect(login).toMatchObject({ outcome: 'success', reason: 'sso-ticket', certificateSerial: cert.serial });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
