import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deactivatePerson, unlockPerson } from '../src/people/actions.ts';
import { PASSWORD, csrfOf, errorCode, startTestGateway, type Response, type TestGateway } from './helpers/gateway.ts';
import { databaseBackends, sessionBackends } from './helpers/backends.ts';
import type { OutboxMessage, User } from '../src/model/index.ts';
import { formatDate } from '../src/shared/time.ts';
import { t } from '../src/http/i18n/index.ts';

const PORTAL_COOKIE = '__Host-passerelle-portal';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** A browser on the public listener: a cookie jar, GET, and POST of a form with its CSRF token. */
class Browser {
  readonly cookies = new Map<string, string>();
  constructor(private readonly gw: TestGateway) {}

  get(path: string): Promise<Response> {
    return this.gw.request({ port: 'public', host: 'localhost', path, cookies: this.cookies });
  }

  post(path: string, fields: Record<string, string>): Promise<Response> {
    return this.gw.request({ port: 'public', host: 'localhost', method: 'POST', path, cookies: this.cookies, headers: FORM, body: new URLSearchParams(fields).toString() });
  }

  /** GET the page holding the form, then POST to `action` with that page's token. */
  async submit(page: string, action: string, fields: Record<string, string>): Promise<Response> {
    const form = await this.get(page);
    return this.post(action, { csrf: csrfOf(form.body), ...fields });
  }

  async login(identifier: string, password: string): Promise<Response> {
    return this.submit('/connexion', '/connexion', { identifier, password });
  }
}

function text(body: string): string {
  return body
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/[ \t\r\n]+/g, ' ');
}

function dataPage(body: string): string | null {
  return /data-page="([a-z-]+)"/.exec(body)?.[1] ?? null;
}

const matrix = databaseBackends().flatMap((db) => sessionBackends().map((s) => ({ name: `${db.name} + ${s.name} sessions`, databaseUrl: db.url, redisUrl: s.url })));

describe.each(matrix)('portal on $name', ({ databaseUrl, redisUrl }) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ databaseUrl, redisUrl });
  });
  afterAll(async () => {
    await gw?.close();
  });

  async function mails(template: string, to?: string): Promise<OutboxMessage[]> {
    return (await gw.runtime.storage.outbox.list(undefined, 1000)).filter((m) => m.template === template && (to === undefined || m.recipient === to));
  }

  async function provisionalUser(givenName = 'Paul', familyName = 'Martin'): Promise<{ user: User; password: string }> {
    const { user, provisionalPassword } = await gw.runtime.accounts.createUser({ givenName, familyName, email: `${givenName}.${familyName}@example.org`.toLowerCase() }, { name: 'test' });
    return { user, password: provisionalPassword! };
  }

  async function signedIn(user?: User): Promise<{ browser: Browser; user: User }> {
    const u = user ?? (await gw.user({ grant: false }));
    const browser = new Browser(gw);
    const res = await browser.login(u.identifier, PASSWORD);
    expect(res.status).toBe(303);
    return { browser, user: u };
  }

  describe('landing and registration', () => {
    it('the home page offers sign-in, registration and withdrawal; help stays at /aide', async () => {
      const browser = new Browser(gw);
      const home = await browser.get('/');
      expect(home.status).toBe(200);
      expect(dataPage(home.body)).toBe('portal-landing');
      for (const href of ['/connexion', '/inscription', '/retrait', '/aide']) expect(home.body).toContain(`href="${href}"`);
      expect(home.headers['content-security-policy']).toContain("default-src 'self'");
      expect(home.headers['set-cookie']).toBeUndefined();
      expect(dataPage((await browser.get('/aide')).body)).toBe('help');
    });

    it('invalid input is shown in the page and nothing is saved', async () => {
      const browser = new Browser(gw);
      const page = await browser.get('/inscription');
      expect(page.status).toBe(200);
      expect(page.body).toContain('name="rpps"');
      const res = await browser.post('/inscription', { csrf: csrfOf(page.body), givenName: 'Hélène', familyName: '', email: 'pas-une-adresse', rpps: '12345', establishment: 'autre', establishmentName: '', reason: '', application: 'inconnue' });
      expect(res.status).toBe(400);
      const summary = /<div[^>]*role="alert"[^>]*id="form-errors"[^>]*>([\s\S]*?)<\/div>/.exec(res.body);
      expect(summary).not.toBeNull();
      expect(text(summary![1]!)).toContain('6 erreurs');
      expect(res.body).toMatch(/id="f-email"[^>]*aria-invalid="true"/);
      expect(res.body).toMatch(/id="f-email"[^>]*aria-describedby="f-email-hint f-email-error form-errors"/);
      expect(text(res.body)).toContain('Le numéro RPPS compte 11 chiffres');
      // What was typed is kept (escaped), except the token.
      expect(res.body).toContain('value="Hélène"');
      expect(await gw.runtime.storage.registrations.list()).toHaveLength(0);
      expect(await mails('registration.received')).toHaveLength(0);
    });

    it('a valid registration creates one pending row and one queued mail, nothing else', async () => {
      const browser = new Browser(gw);
      const users = await gw.runtime.storage.db.all('SELECT id FROM users');
      const res = await browser.submit('/inscription?lang=en', '/inscription', {
        givenName: 'Anne',
        familyName: "D'Arc <b>",
        email: 'anne.darc@example.org',
        profession: 'Kinésithérapeute',
        rpps: '100 0123 4567',
        establishment: 'autre',
        establishmentName: 'Cabinet du Parc',
        reason: 'Accès à OpenDRP\npour la réhabilitation',
        application: 'opendrp',
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/inscription/envoyee');
      const done = await browser.get('/inscription/envoyee');
      expect(text(done.body)).toContain('No account is created until the coordination cell approves');
      const [registration, ...others] = await gw.runtime.storage.registrations.list();
      expect(others).toHaveLength(0);
      expect(registration).toMatchObject({ status: 'pending', givenName: 'Anne', familyName: "D'Arc <b>", email: 'anne.darc@example.org', rpps: '10001234567', establishmentId: null, establishmentName: 'Cabinet du Parc', requestedApplication: 'opendrp', lang: 'en', ip: '127.0.0.1' });
      expect(registration!.reason).toBe('Accès à OpenDRP\npour la réhabilitation');
      const queued = await mails('registration.received');
      expect(queued).toHaveLength(1);
      expect(queued[0]).toMatchObject({ recipient: 'anne.darc@example.org', lang: 'en', status: 'pending' });
      expect(await gw.runtime.storage.db.all('SELECT id FROM users')).toHaveLength(users.length);
      const audit = await gw.runtime.storage.audit.list({ action: 'registration.submit' });
      expect(audit).toHaveLength(1);
    });

    it('an existing establishment can be picked from the list', async () => {
      const establishment = await gw.establishment('CHU de Dijon');
      const browser = new Browser(gw);
      const page = await browser.get('/inscription');
      expect(page.body).toContain(`<option value="${establishment.id}">CHU de Dijon</option>`);
      const res = await browser.post('/inscription', { csrf: csrfOf(page.body), givenName: 'Luc', familyName: 'Bon', email: 'luc.bon@example.org', establishment: establishment.id, reason: 'OpenDRP', application: 'opendrp' });
      expect(res.status).toBe(303);
      const row = (await gw.runtime.storage.registrations.list()).find((r) => r.email === 'luc.bon@example.org');
      expect(row).toMatchObject({ establishmentId: establishment.id, establishmentName: 'CHU de Dijon', rpps: null, lang: 'fr' });
    });
    it('registration is rate-limited per address', async () => {
      const browser = new Browser(gw);
      const page = await browser.get('/inscription');
      let res: Response | undefined;
      for (let i = 0; i < 20; i += 1) {
        res = await browser.post('/inscription', { csrf: csrfOf(page.body), givenName: 'Spam', familyName: `Bot${i}`, email: 'x' });
        if (res.status === 429) break;
        expect(res.status).toBe(400);
      }
      expect(res!.status).toBe(429);
      expect(Number(res!.headers['retry-after'])).toBeGreaterThan(0);
      expect(errorCode(res!.body)).toBe('rate_limited');
    });
  });

  describe('login', () => {
    it('identifier is case-insensitive, password case-sensitive; the session is regenerated; the cookie is locked down', async () => {
      const user = await gw.user({ grant: false });
      const browser = new Browser(gw);
      const form = await browser.get('/connexion');
      expect(text(form.body)).toContain('ce n’est pas votre adresse électronique');
      const before = browser.cookies.get(PORTAL_COOKIE);
      expect(before).toBeTruthy();
      const wrongCase = await browser.post('/connexion', { csrf: csrfOf(form.body), identifier: user.identifier, password: PASSWORD.toUpperCase() });
      expect(wrongCase.status).toBe(401);
      expect(errorCode(wrongCase.body)).toBe('invalid_credentials');
      const res = await browser.post('/connexion', { csrf: csrfOf(wrongCase.body), identifier: `  ${user.identifier.toUpperCase()} `, password: PASSWORD });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/');
      const cookie = res.headers['set-cookie']!.find((c) => c.startsWith(`${PORTAL_COOKIE}=`))!;
      expect(cookie).toMatch(/; Path=\//);
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; Secure/);
      expect(cookie).toMatch(/; SameSite=Lax/);
      expect(browser.cookies.get(PORTAL_COOKIE)).not.toBe(before);
      const home = await browser.get('/');
      expect(dataPage(home.body)).toBe('portal-home');
      expect(text(home.body)).toContain(`Connecté en tant que ${user.identifier}`);
      const audit = await gw.runtime.storage.audit.list({ action: 'portal.login', subject: user.identifier });
      expect(audit.map((e) => [e.outcome, e.reason, e.ip])).toEqual(expect.arrayContaining([['failure', 'wrong_password', '127.0.0.1'], ['success', null, '127.0.0.1']]));
    });

    it('an unknown identifier gets the same answer as a wrong password', async () => {
      const res = await new Browser(gw).login('personne.inconnue', PASSWORD);
      expect(res.status).toBe(401);
      expect(errorCode(res.body)).toBe('invalid_credentials');
    });

    it('five failures lock the account, as at the gateway; the right password is then refused', async () => {
      const user = await gw.user({ grant: false });
      const browser = new Browser(gw);
      for (let i = 1; i <= 4; i += 1) expect((await browser.login(user.identifier, `wrong-${i}`)).status).toBe(401);
      const fifth = await browser.login(user.identifier, 'wrong-5');
      expect(fifth.status).toBe(403);
      expect(errorCode(fifth.body)).toBe('account_locked');
      expect(text(fifth.body)).toContain('coordination@esante.localhost');
      const right = await browser.login(user.identifier, PASSWORD);
      expect(right.status).toBe(403);
      expect(errorCode(right.body)).toBe('account_locked');
      expect((await gw.runtime.storage.users.findById(user.id))!.status).toBe('locked');
    });

    it('a deactivated account is told whom to contact', async () => {
      const user = await gw.user({ grant: false });
      await deactivatePerson(gw.runtime, user.id, { name: 'test' });
      const res = await new Browser(gw).login(user.identifier, PASSWORD);
      expect(res.status).toBe(403);
      expect(errorCode(res.body)).toBe('account_deactivated');
    });

    it('an expired provisional password is refused with a clear message', async () => {
      const { user, password } = await provisionalUser('Inès', 'Tardive');
      gw.clock.advance((gw.config.accounts.provisionalPasswordDays + 1) * 86_400_000);
      const res = await new Browser(gw).login(user.identifier, password);
      expect(res.status).toBe(403);
      expect(errorCode(res.body)).toBe('provisional_expired');
      expect(text(res.body)).toContain('Votre mot de passe provisoire a expiré');
      expect(res.body).toContain('href="/mot-de-passe-oublie"');
      const [event] = await gw.runtime.storage.audit.list({ action: 'portal.login', subject: user.identifier });
      expect(event).toMatchObject({ outcome: 'failure', reason: 'provisional_expired' });
    });

    it('logout ends the session (POST with a token only)', async () => {
      const { browser } = await signedIn();
      const home = await browser.get('/compte');
      expect(home.status).toBe(200);
      const out = await browser.post('/deconnexion', { csrf: csrfOf(home.body) });
      expect(out.status).toBe(303);
      expect(out.headers.location).toBe('/connexion?deconnecte=1');
      expect(text((await browser.get('/connexion?deconnecte=1')).body)).toContain('Vous êtes déconnecté');
      const after = await browser.get('/compte');
      expect(after.status).toBe(303);
      expect(after.headers.location).toBe('/connexion?next=%2Fcompte');
    });
  });

  describe('first login', () => {
    it('is forced while provisional; the policy refuses weak passwords; success activates the account', async () => {
      const { user, password } = await provisionalUser('Zoé', 'Premier');
      const browser = new Browser(gw);
      const login = await browser.login(user.identifier, password);
      expect(login.status).toBe(303);
      expect(login.headers.location).toBe('/premiere-connexion');
      for (const path of ['/', '/compte', '/certificats', '/applications']) {
        const res = await browser.get(path);
        expect(res.status, path).toBe(303);
        expect(res.headers.location, path).toBe('/premiere-connexion');
      }
      const page = await browser.get('/premiere-connexion');
      expect(page.status).toBe(200);
      expect(page.body).toContain('href="/conditions"');
      const details = { givenName: 'Zoé', familyName: 'Premier', profession: 'Infirmière', rpps: '10101010101', acceptTerms: 'yes' };
      const attempt = async (fields: Record<string, string>) => browser.submit('/premiere-connexion', '/premiere-connexion', { ...details, ...fields });
      const refusals: Array<[Record<string, string>, string, string]> = [
        [{ password: 'Court-2026!', confirmation: 'Court-2026!' }, 'password', 'password_too_short'],
        [{ password: `${user.identifier}-Lyon-2026`, confirmation: `${user.identifier}-Lyon-2026` }, 'password', 'password_contains_identifier'],
        [{ password: 'Premier-Infirmiere', confirmation: 'Premier-Infirmiere' }, 'password', 'password_contains_identifier'],
        [{ password: 'Motdepasse2024!', confirmation: 'Motdepasse2024!' }, 'password', 'password_common'],
        [{ password: 'azertyuiop123', confirmation: 'azertyuiop123' }, 'password', 'password_common'],
        [{ password: 'P@ssw0rd-2025', confirmation: 'P@ssw0rd-2025' }, 'password', 'password_common'],
        [{ password: 'soleilsoleil', confirmation: 'soleilsoleil' }, 'password', 'password_common'],
        [{ password, confirmation: password }, 'password', 'password_reused'],
        [{ password: 'lune rousse sur le canal', confirmation: 'lune rousse sur le quai' }, 'confirmation', 'password_mismatch'],
        [{ password: 'lune rousse sur le canal', confirmation: 'lune rousse sur le canal', acceptTerms: '' }, 'acceptTerms', 'terms_required'],
        [{ password: 'lune rousse sur le canal', confirmation: 'lune rousse sur le canal', rpps: '12' }, 'rpps', 'invalid_rpps'],
      ];
      for (const [fields, field, code] of refusals) {
        const res = await attempt(fields);
        expect(res.status, code).toBe(400);
        expect(res.body, code).toMatch(new RegExp(`id="f-${field}"[^>]*aria-invalid="true"`));
        expect(text(res.body), code).toContain(t('fr', `portal.error.${code}` as never));
      }
      expect((await gw.runtime.storage.users.findById(user.id))!.status).toBe('provisional');

      const done = await attempt({ password: 'lune rousse sur le canal', confirmation: 'lune rousse sur le canal', givenName: 'Zoé-Marie' });
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe('/?ok=activated');
      const active = (await gw.runtime.storage.users.findById(user.id))!;
      expect(active).toMatchObject({ status: 'active', givenName: 'Zoé-Marie', profession: 'Infirmière', rpps: '10101010101', provisionalExpiresAt: null });
      expect(active.termsAcceptedAt).toBe(gw.clock.now().getTime());
      const home = await browser.get('/?ok=activated');
      expect(dataPage(home.body)).toBe('portal-home');
      expect(text(home.body)).toContain('Votre compte est activé');
      // The new password works (and the provisional one no longer does).
      expect((await new Browser(gw).login(user.identifier, 'lune rousse sur le canal')).status).toBe(303);
      expect((await new Browser(gw).login(user.identifier, password)).status).toBe(401);
      expect(await gw.runtime.storage.audit.list({ action: 'account.activate', subject: user.identifier })).toHaveLength(1);
    });
  });

  describe('after an unlock', () => {
    it('a long-time user only chooses a new password: no "Première connexion", no terms again, details kept', async () => {
      // Activated long ago (terms accepted then), locked since.
      const { user: created } = await provisionalUser('Odile', 'Ancienne');
      await gw.runtime.storage.users.activate(created.id, { givenName: 'Odile', familyName: 'Ancienne', profession: 'Kinésithérapeute', rpps: null }, gw.clock.now().getTime() - 400 * 86_400_000);
      const user = (await gw.runtime.storage.users.findById(created.id))!;
      expect(user.termsAcceptedAt).not.toBeNull();
      await gw.runtime.storage.users.setStatus(user.id, 'locked', gw.clock.now().getTime());
      await unlockPerson(gw.runtime, user.id, { name: 'cellule' });
      const outbox = await mails('account.unlocked', user.email);
      const { provisionalPassword } = JSON.parse(outbox.at(-1)!.payload) as { provisionalPassword: string };
      const browser = new Browser(gw);
      expect((await browser.login(user.identifier, provisionalPassword)).headers.location).toBe('/premiere-connexion');
      const page = await browser.get('/premiere-connexion');
      expect(page.status).toBe(200);
      expect(text(page.body)).toContain('Choisir un nouveau mot de passe');
      expect(text(page.body)).not.toContain('Première connexion');
      expect(text(page.body)).not.toContain('Bienvenue');
      expect(page.body).not.toContain('name="acceptTerms"');
      expect(page.body).not.toContain('name="givenName"');
      const done = await browser.submit('/premiere-connexion', '/premiere-connexion', { password: 'lune rousse sur le canal', confirmation: 'lune rousse sur le canal' });
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe('/?ok=password_changed');
      const after = (await gw.runtime.storage.users.findById(user.id))!;
      // The terms were accepted once, long ago: that date stays.
      expect(after).toMatchObject({ status: 'active', givenName: 'Odile', familyName: 'Ancienne', termsAcceptedAt: user.termsAcceptedAt, profession: user.profession, rpps: user.rpps });
      const [event] = await gw.runtime.storage.audit.list({ action: 'account.activate', subject: user.identifier });
      expect(event?.details).toMatchObject({ returning: true });
    });
  });

  describe('session limits', () => {
    it('logs out after 45 idle minutes (measured with the injected clock), not while active', async () => {
      const { browser } = await signedIn();
      gw.clock.advance(44 * 60_000);
      expect((await browser.get('/compte')).status).toBe(200);
      gw.clock.advance(44 * 60_000);
      expect((await browser.get('/compte')).status).toBe(200);
      gw.clock.advance(46 * 60_000);
      const res = await browser.get('/compte');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/connexion?next=%2Fcompte&expired=1');
      const login = await browser.get(res.headers.location!);
      expect(errorCode(login.body)).toBe('session_expired');
      // Gone for good: coming back later does not revive it.
      expect((await browser.get('/compte')).status).toBe(303);
    });

    it('ends after the absolute limit even when active', async () => {
      const { browser } = await signedIn();
      const steps = Math.ceil((gw.config.session.absoluteTimeoutHours * 60) / 40);
      for (let i = 1; i < steps; i += 1) {
        gw.clock.advance(40 * 60_000);
        expect((await browser.get('/compte')).status, `step ${i}`).toBe(200);
      }
      gw.clock.advance(40 * 60_000);
      expect((await browser.get('/compte')).status).toBe(303);
    });

    it('a session ends at the next request when the account is locked meanwhile', async () => {
      const { browser, user } = await signedIn();
      await gw.runtime.storage.users.setStatus(user.id, 'locked', gw.clock.now().getTime());
      expect((await browser.get('/compte')).status).toBe(303);
    });
  });

  describe('my account', () => {
    it('shows the previous login date and address', async () => {
      const user = await gw.user({ grant: false });
      const first = await signedIn(user);
      const firstAt = gw.clock.now().getTime();
      expect(text((await first.browser.get('/compte')).body)).toContain('C’est votre première connexion');
      gw.clock.advance(86_400_000 + 5 * 60_000);
      const second = await signedIn(user);
      const page = await second.browser.get('/compte');
      const expected = `Dernière connexion\u00a0: le ${formatDate('fr', firstAt)} depuis l’adresse 127.0.0.1.`;
      expect(text(page.body)).toContain(expected);
      expect(formatDate('fr', firstAt)).toMatch(/^\d{1,2} \S+ \d{4} à \d\d:\d\d$/);
      expect(text(page.body)).toContain(user.email);
    });

    it('e-mail change: confirmation to the new address, notice to the old; the link works once', async () => {
      const { browser, user } = await signedIn();
      const bad = await browser.submit('/compte', '/compte/email', { email: user.email });
      expect(bad.status).toBe(400);
      expect(text(bad.body)).toContain('C’est déjà l’adresse de votre compte');
      const res = await browser.submit('/compte', '/compte/email', { email: 'nouvelle@example.org' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/compte?ok=email_change_sent');
      const [confirm] = await mails('email-change.confirm', 'nouvelle@example.org');
      const [notice] = await mails('email-change.notice', user.email);
      expect(confirm).toBeDefined();
      expect(JSON.parse(notice!.payload)).toMatchObject({ newEmail: 'nouvelle@example.org' });
      const { confirmUrl, expiresAt } = JSON.parse(confirm!.payload) as { confirmUrl: string; expiresAt: number };
      expect(expiresAt).toBe(gw.clock.now().getTime() + 24 * 3_600_000);
      const link = new URL(confirmUrl);
      expect(link.origin).toBe(gw.config.publicUrl);
      // The token is stored hashed.
      const stored = await gw.runtime.storage.emailChanges.findById(link.searchParams.get('id')!);
      expect(stored!.tokenHash).not.toContain(link.searchParams.get('token')!);

      // Opened in another browser (the mail client's): a button, nothing spent yet.
      const other = new Browser(gw);
      const page = await other.get(link.pathname + link.search);
      expect(page.status).toBe(200);
      expect((await gw.runtime.storage.users.findById(user.id))!.email).toBe(user.email);
      const wrongToken = await other.post('/compte/email/confirmer', { csrf: csrfOf(page.body), id: link.searchParams.get('id')!, token: 'x'.repeat(43) });
      expect(wrongToken.status).toBe(400);
      const ok = await other.post('/compte/email/confirmer', { csrf: csrfOf(page.body), id: link.searchParams.get('id')!, token: link.searchParams.get('token')! });
      expect(ok.status).toBe(200);
      expect(text(ok.body)).toContain('nouvelle@example.org est désormais l’adresse de votre compte');
      expect((await gw.runtime.storage.users.findById(user.id))!.email).toBe('nouvelle@example.org');
      const again = await other.post('/compte/email/confirmer', { csrf: csrfOf(page.body), id: link.searchParams.get('id')!, token: link.searchParams.get('token')! });
      expect(again.status).toBe(410);
      expect(errorCode(again.body)).toBe('email_change_used');
      expect((await other.get(link.pathname + link.search)).status).toBe(410);
    });

    it('an expired e-mail change link is refused and changes nothing', async () => {
      const { browser, user } = await signedIn();
      expect((await browser.submit('/compte', '/compte/email', { email: 'tardive@example.org' })).status).toBe(303);
      const [confirm] = await mails('email-change.confirm', 'tardive@example.org');
      const link = new URL((JSON.parse(confirm!.payload) as { confirmUrl: string }).confirmUrl);
      const other = new Browser(gw);
      const page = await other.get(link.pathname + link.search);
      expect(page.status).toBe(200);
      gw.clock.advance(24 * 3_600_000 + 1000);
      const res = await other.post('/compte/email/confirmer', { csrf: csrfOf(page.body), id: link.searchParams.get('id')!, token: link.searchParams.get('token')! });
      expect(res.status).toBe(410);
      expect(errorCode(res.body)).toBe('email_change_expired');
      expect((await gw.runtime.storage.users.findById(user.id))!.email).toBe(user.email);
    });

    it('notification opt-in and password change (current password, policy, history)', async () => {
      const { browser, user } = await signedIn();
      expect((await browser.submit('/compte', '/compte/notifications', {})).status).toBe(303);
      expect((await gw.runtime.storage.users.findById(user.id))!.notificationsOptIn).toBe(0);
      expect((await browser.submit('/compte', '/compte/notifications', { optIn: 'yes' })).status).toBe(303);
      expect((await gw.runtime.storage.users.findById(user.id))!.notificationsOptIn).toBe(1);

      const wrong = await browser.submit('/compte', '/compte/mot-de-passe', { current: 'pas le bon', password: 'un tout nouveau secret', confirmation: 'un tout nouveau secret' });
      expect(wrong.status).toBe(400);
      expect(wrong.body).toMatch(/id="f-current"[^>]*aria-invalid="true"/);
      const reused = await browser.submit('/compte', '/compte/mot-de-passe', { current: PASSWORD, password: PASSWORD, confirmation: PASSWORD });
      expect(reused.status).toBe(400);
      expect(text(reused.body)).toContain('Vous avez déjà utilisé ce mot de passe récemment');
      const changed = await browser.submit('/compte', '/compte/mot-de-passe', { current: PASSWORD, password: 'un tout nouveau secret', confirmation: 'un tout nouveau secret' });
      expect(changed.status).toBe(303);
      expect(changed.headers.location).toBe('/compte?ok=password_changed');
      // Still signed in, under a new session id.
      expect((await browser.get('/compte')).status).toBe(200);
      expect((await new Browser(gw).login(user.identifier, 'un tout nouveau secret')).status).toBe(303);
      // Back to the first password: still one of the last two.
      const back = await browser.submit('/compte', '/compte/mot-de-passe', { current: 'un tout nouveau secret', password: PASSWORD, confirmation: PASSWORD });
      expect(back.status).toBe(400);
      expect(text(back.body)).toContain('Vous avez déjà utilisé ce mot de passe récemment');
    });
    it('wrong current passwords count towards the lockout: the fifth ends the session', async () => {
      const { browser, user } = await signedIn();
      for (let i = 1; i < gw.config.lockout.maxFailures; i += 1) {
        expect((await browser.submit('/compte', '/compte/mot-de-passe', { current: `faux-${i}`, password: 'un tout nouveau secret', confirmation: 'un tout nouveau secret' })).status).toBe(400);
      }
      const locked = await browser.submit('/compte', '/compte/mot-de-passe', { current: 'faux-5', password: 'un tout nouveau secret', confirmation: 'un tout nouveau secret' });
      expect(locked.status).toBe(403);
      expect(errorCode(locked.body)).toBe('account_locked');
      expect((await gw.runtime.storage.users.findById(user.id))!.status).toBe('locked');
      expect((await browser.get('/compte')).status).toBe(303);
    });
  });

  describe('forgot password', () => {
    it('answers the same whether or not identifier and e-mail match; only a match gets a mail', async () => {
      const user = await gw.user({ grant: false });
      const stranger = await gw.user({ grant: false });
      const cases = [
        { identifier: user.identifier.toUpperCase(), email: user.email.toUpperCase() },
        { identifier: user.identifier, email: stranger.email },
        { identifier: 'nobody.here', email: user.email },
      ];
      const answers: Array<{ status: number; location: string | undefined; page: string }> = [];
      for (const fields of cases) {
        const browser = new Browser(gw);
        const res = await browser.submit('/mot-de-passe-oublie', '/mot-de-passe-oublie', fields);
        const page = await browser.get(res.headers.location!);
        answers.push({ status: res.status, location: res.headers.location, page: text(page.body).replace(/value="[^"]*"/g, '') });
      }
      expect(answers[0]!.status).toBe(303);
      expect(answers[1]).toEqual(answers[0]);
      expect(answers[2]).toEqual(answers[0]);
      expect(answers[0]!.page).toContain('Si l’identifiant et l’adresse correspondent à un compte');

      // A link, not a new password (issue 9): nothing about the account changes until it is used.
      const queued = await mails('password-reset.link');
      expect(queued.map((m) => m.recipient)).toEqual([user.email]);
      const data = JSON.parse(queued[0]!.payload) as { identifier: string; resetUrl: string; expiresAt: number };
      expect(data.identifier).toBe(user.identifier);
      expect(data.resetUrl.startsWith(`${gw.config.publicUrl}/mot-de-passe-oublie/choisir?jeton=`)).toBe(true);
      expect(data.expiresAt).toBe(gw.clock.now().getTime() + 3_600_000);
      expect((await gw.runtime.storage.users.findById(user.id))!).toMatchObject({ status: 'active', passwordHash: user.passwordHash, provisionalExpiresAt: null });
      expect((await gw.runtime.storage.users.findById(stranger.id))!.status).toBe('active');
      expect((await new Browser(gw).login(user.identifier, PASSWORD)).status).toBe(303);
      const audit = await gw.runtime.storage.audit.list({ action: 'password.reset_requested' });
      expect(audit.map((e) => e.reason).sort()).toEqual([null, 'no_match', 'no_match'].sort());
    });

    it('a locked account is not unlocked by it, and gets no mail', async () => {
      const user = await gw.user({ grant: false });
      for (let i = 0; i < gw.config.lockout.maxFailures; i += 1) await new Browser(gw).login(user.identifier, 'faux');
      const res = await new Browser(gw).submit('/mot-de-passe-oublie', '/mot-de-passe-oublie', { identifier: user.identifier, email: user.email });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/mot-de-passe-oublie?envoye=1');
      expect(await mails('password-reset.link', user.email)).toHaveLength(0);
      expect((await gw.runtime.storage.users.findById(user.id))!.status).toBe('locked');
    });

    it('is rate-limited per identifier, matching or not', async () => {
      const browser = new Browser(gw);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await browser.submit('/mot-de-passe-oublie', '/mot-de-passe-oublie', { identifier: 'cible.choisie', email: `x${i}@example.org` })).status);
      expect(statuses).toEqual([303, 303, 303, 429]);
    });
  });

  describe('home', () => {
    it('says an access request is being reviewed instead of "no access yet, ask for it"', async () => {
      const { browser, user } = await signedIn();
      expect(text((await browser.get('/')).body)).toContain('Vous n’avez encore accès à aucune application');
      await gw.runtime.storage.accessRequests.insert({ id: gw.runtime.random.uuid(), userId: user.id, applicationId: 'opendrp', createdAt: gw.clock.now().getTime() });
      const home = text((await browser.get('/')).body);
      expect(home).toContain('Votre demande d’accès à OpenDRP');
      expect(home).toContain('en cours d’examen');
      expect(home).not.toContain('Vous n’avez encore accès à aucune application');
    });
  });

  describe('my certificates', () => {
    it('request, list, and self-revocation (the gateway refuses the revoked certificate at once)', async () => {
      // TLS checks validity against real time: back to it after the other tests moved the clock on.
      gw.clock.set(new Date());
      const { browser, user } = await signedIn(await gw.user({ grant: true }));
      const empty = await browser.submit('/certificats', '/certificats', { label: '  ' });
      expect(empty.status).toBe(400);
      const res = await browser.submit('/certificats', '/certificats', { label: 'Cabinet — poste accueil' });
      expect(res.status).toBe(303);
      expect((await browser.submit('/certificats', '/certificats', { label: 'Domicile — portable' })).status).toBe(303);
      const requests = await gw.runtime.storage.certificateRequests.list({ userId: user.id });
      expect(requests.map((r) => [r.kind, r.label, r.status, r.requestedBy]).sort()).toEqual([
        ['personal', 'Cabinet — poste accueil', 'pending', user.identifier],
        ['personal', 'Domicile — portable', 'pending', user.identifier],
      ]);
      await gw.runtime.storage.certificateRequests.reject(requests.find((r) => r.label.startsWith('Domicile'))!.id, 'Un seul poste par cabinet', 'cellule', gw.clock.now().getTime());

      const cert = await gw.personalCertificate(user);
      expect((await gw.request({ cert, path: '/.passerelle/login' })).status).toBe(200);
      const list = await browser.get('/certificats');
      const body = text(list.body);
      expect(body).toContain('Cabinet — poste accueil');
      expect(body).toContain('En attente de validation');
      expect(body).toContain('Refusée\u00a0: Un seul poste par cabinet');
      expect(list.body).toContain(`data-serial="${cert.serial}" data-state="valid"`);

      const confirm = await browser.get(`/certificats/${cert.serial}/revoquer`);
      expect(confirm.status).toBe(200);
      const noReason = await browser.post(`/certificats/${cert.serial}/revoquer`, { csrf: csrfOf(confirm.body) });
      expect(noReason.status).toBe(400);
      expect((await gw.runtime.storage.certificates.findBySerial(cert.serial))!.status).toBe('valid');
      const revoked = await browser.post(`/certificats/${cert.serial}/revoquer`, { csrf: csrfOf(confirm.body), reason: 'lost' });
      expect(revoked.status).toBe(303);
      expect(revoked.headers.location).toBe('/certificats?ok=certificate_revoked');
      expect(await gw.runtime.storage.certificates.findBySerial(cert.serial)).toMatchObject({ status: 'revoked', revocationReason: 'keyCompromise' });
      const [event] = await gw.runtime.storage.audit.list({ action: 'certificate.revoke' });
      expect(event).toMatchObject({ actor: user.identifier, certificateSerial: cert.serial });
      const denied = await gw.request({ cert, path: '/.passerelle/login' });
      expect(denied.status).toBe(495);
      expect(errorCode(denied.body)).toBe('certificate_revoked');
      expect((await browser.get('/certificats')).body).toContain(`data-serial="${cert.serial}" data-state="revoked"`);
      // Once revoked, there is nothing left to revoke.
      expect((await browser.get(`/certificats/${cert.serial}/revoquer`)).status).toBe(404);
    });

    it('offers "Renouveler" next to a certificate due within the notice period, pointing at the renewal page', async () => {
      const user = await gw.user({ grant: true });
      const cert = await gw.personalCertificate(user);
      const record = (await gw.runtime.storage.certificates.findBySerial(cert.serial))!;
      const early = await signedIn(user);
      const far = await early.browser.get('/certificats');
      expect(far.body).toContain(`data-serial="${cert.serial}" data-state="valid"`);
      expect(far.body).not.toContain('data-renew');
      gw.clock.set(new Date(record.notAfter - 30 * 86_400_000));
      try {
        const { browser } = await signedIn(user);
        const due = await browser.get('/certificats');
        expect(due.body).toMatch(/<a href="https:\/\/[^"]+\/\.passerelle\/renouveler" data-renew[^>]*>Renouveler<\/a>/);
        expect(text(due.body)).toContain('l’ancien reste valable jusqu’à ce que le nouveau soit utilisé');
      } finally {
        gw.clock.set(new Date());
      }
    });

    it('someone else’s certificate cannot be revoked (or even looked at)', async () => {
      const owner = await gw.user({ grant: false });
      const cert = await gw.personalCertificate(owner);
      const { browser } = await signedIn();
      const page = await browser.get(`/certificats/${cert.serial}/revoquer`);
      expect(page.status).toBe(404);
      const res = await browser.submit('/certificats', `/certificats/${cert.serial}/revoquer`, { reason: 'replaced' });
      expect(res.status).toBe(404);
      expect((await gw.runtime.storage.certificates.findBySerial(cert.serial))!.status).toBe('valid');
    });
  });

  describe('my applications', () => {
    it('request access; a duplicate is refused; a grant shows the link', async () => {
      const { browser, user } = await signedIn();
      const page = await browser.get('/applications');
      expect(page.body).toContain('data-application="opendrp" data-access="none"');
      const res = await browser.post('/applications/opendrp/demander', { csrf: csrfOf(page.body) });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/applications?ok=access_requested');
      const duplicate = await browser.post('/applications/opendrp/demander', { csrf: csrfOf(page.body) });
      expect(duplicate.status).toBe(409);
      expect(errorCode(duplicate.body)).toBe('already_pending');
      expect(await gw.runtime.storage.accessRequests.list({ userId: user.id })).toHaveLength(1);
      expect((await browser.get('/applications')).body).toContain('data-access="pending"');
      expect((await browser.post('/applications/inconnue/demander', { csrf: csrfOf(page.body) })).status).toBe(404);

      const [request] = await gw.runtime.storage.accessRequests.list({ userId: user.id });
      await gw.runtime.storage.accessRequests.reject(request!.id, 'Réservé aux kinésithérapeutes', 'cellule', gw.clock.now().getTime());
      const rejected = await browser.get('/applications');
      expect(rejected.body).toContain('data-access="rejected"');
      expect(text(rejected.body)).toContain('Réservé aux kinésithérapeutes');

      await gw.runtime.accounts.addGrant(user.id, 'opendrp', { name: 'test' });
      const granted = await browser.get('/applications');
      expect(granted.body).toContain('data-access="granted"');
      expect(granted.body).toContain(`href="https://opendrp.localhost:${gw.config.listeners.gateway.port}/"`);
      const again = await browser.post('/applications/opendrp/demander', { csrf: csrfOf(granted.body) });
      expect(again.status).toBe(409);
      expect(errorCode(again.body)).toBe('already_granted');
      const home = await browser.get('/');
      expect(home.body).toContain('class="tile"');
    });
  });

  describe('CSRF', () => {
    it('a form without its token is refused and changes nothing', async () => {
      const { browser, user } = await signedIn();
      const before = await gw.runtime.storage.registrations.list();
      const cases: Array<[string, Record<string, string>]> = [
        ['/inscription', { givenName: 'A', familyName: 'B', email: 'a.b@example.org', establishment: 'autre', establishmentName: 'X', reason: 'Y', application: 'opendrp' }],
        ['/certificats', { label: 'Poste forgé' }],
        ['/applications/opendrp/demander', {}],
        ['/compte/email', { email: 'pirate@example.org' }],
        ['/compte/notifications', {}],
        ['/compte/mot-de-passe', { current: PASSWORD, password: 'volé par un autre site', confirmation: 'volé par un autre site' }],
        ['/deconnexion', {}],
      ];
      for (const [path, fields] of cases) {
        for (const csrf of [undefined, 'forged-token']) {
          const res = await browser.post(path, csrf ? { ...fields, csrf } : fields);
          expect(res.status, path).toBe(403);
          expect(errorCode(res.body), path).toBe('invalid_csrf_token');
        }
      }
      expect(await gw.runtime.storage.registrations.list()).toHaveLength(before.length);
      expect(await gw.runtime.storage.certificateRequests.list({ userId: user.id })).toHaveLength(0);
      expect(await gw.runtime.storage.accessRequests.list({ userId: user.id })).toHaveLength(0);
      expect(await mails('email-change.confirm', 'pirate@example.org')).toHaveLength(0);
      expect((await gw.runtime.storage.users.findById(user.id))!).toMatchObject({ notificationsOptIn: 1, passwordHash: user.passwordHash });
      // Still signed in: the forged logout did nothing either.
      expect((await browser.get('/compte')).status).toBe(200);
      const login = await new Browser(gw).post('/connexion', { identifier: user.identifier, password: PASSWORD });
      expect(login.status).toBe(403);
    });
  });

  describe('English', () => {
    it('?lang=en switches every portal page', async () => {
      const browser = new Browser(gw);
      const login = await browser.get('/connexion?lang=en');
      expect(login.body).toContain('<html lang="en"');
      expect(text(login.body)).toContain('it is not your e-mail address');
      expect(text((await browser.get('/conditions')).body)).toContain('Traceability of access');
    });
  });
});
