/**
 * Forgotten password (issue 9, defect 3): a single-use link by mail; nothing changes until it
 * is used. Real HTTPS on the public listener (portal) and the gateway, the mail delivered by
 * the real outbox worker to .eml files, on SQLite and PostgreSQL, memory and Redis sessions.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, csrfOf, errorCode, signIn, startTestGateway, type ClientCertificate, type Response, type TestGateway } from './helpers/gateway.ts';
import { databaseBackends, sessionBackends } from './helpers/backends.ts';
import { parseMail } from './helpers/smtp.ts';
import { MailWorker, createTransport, mailDir } from '../src/notification/index.ts';
import { forgotPassword, RESET_PATH, RESET_TTL_MS } from '../src/portal/forgot-password.ts';
import type { User } from '../src/model/index.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const NEW_PASSWORD = 'une phrase que je retiens bien';

/** A browser on the public listener: a cookie jar, GET, and POST of a form with its CSRF token. */
class Browser {
  readonly cookies = new Map<string, string>();
  constructor(private readonly gw: TestGateway) {}

  get(target: string): Promise<Response> {
    return this.gw.request({ port: 'public', host: 'localhost', path: target, cookies: this.cookies });
  }

  post(target: string, fields: Record<string, string>): Promise<Response> {
    return this.gw.request({ port: 'public', host: 'localhost', method: 'POST', path: target, cookies: this.cookies, headers: FORM, body: new URLSearchParams(fields).toString() });
  }

  async submit(page: string, action: string, fields: Record<string, string>): Promise<Response> {
    const form = await this.get(page);
    return this.post(action, { csrf: csrfOf(form.body), ...fields });
  }

  login(identifier: string, password: string): Promise<Response> {
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

const matrix = databaseBackends().flatMap((db) => sessionBackends().map((s) => ({ name: `${db.name} + ${s.name} sessions`, databaseUrl: db.url, redisUrl: s.url })));

describe.each(matrix)('password reset on $name', ({ databaseUrl, redisUrl }) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ databaseUrl, redisUrl });
  });
  afterAll(async () => {
    await gw?.close();
  });

  const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

  async function queued(template: string, to: string) {
    return (await gw.runtime.storage.outbox.list(undefined, 1000)).filter((m) => m.template === template && m.recipient === to);
  }

  /** The link of the newest reset mail still in the outbox for `to` (before the worker scrubs it). */
  async function linkFromOutbox(to: string): Promise<{ url: URL; token: string }> {
    const mails = await queued('password-reset.link', to);
    expect(mails.length).toBeGreaterThan(0);
    const url = new URL((JSON.parse(mails.at(-1)!.payload) as { resetUrl: string }).resetUrl);
    return { url, token: url.searchParams.get('jeton')! };
  }

  function linkPath(token: string): string {
    return `${RESET_PATH}?${new URLSearchParams({ jeton: token }).toString()}`;
  }

  /** Delivers what the outbox holds through the real worker (file transport) and returns the mails to `to`. */
  async function deliver(to: string) {
    const worker = new MailWorker({ storage: gw.runtime.storage, clock: gw.clock, transport: createTransport({ smtpUrl: null, dataDir: gw.dataDir }), from: 'Passerelle <no-reply@esante.localhost>', maxAttempts: 3 });
    await worker.runOnce();
    const dir = mailDir(gw.dataDir);
    const files = (await readdir(dir)).filter((f) => f.endsWith('.eml'));
    const mails = await Promise.all(files.map(async (f) => parseMail(await readFile(path.join(dir, f)))));
    return mails.filter((m) => m.headers.get('to') === to);
  }

  async function ask(user: Pick<User, 'identifier' | 'email'>): Promise<Response> {
    return new Browser(gw).submit('/mot-de-passe-oublie', '/mot-de-passe-oublie', { identifier: user.identifier, email: user.email });
  }

  /** Opens the link in a browser and sends the form. */
  async function choose(token: string, password: string, confirmation = password, browser = new Browser(gw)): Promise<Response> {
    const page = await browser.get(linkPath(token));
    const csrf = page.status === 200 ? csrfOf(page.body) : csrfOf((await browser.get('/mot-de-passe-oublie')).body);
    return browser.post(RESET_PATH, { csrf, token, password, confirmation });
  }

  async function gatewaySession(user: User): Promise<{ cert: ClientCertificate; cookies: Map<string, string> }> {
    const cert = await gw.personalCertificate(user);
    const { cookies, response } = await signIn(gw, cert);
    expect(response.status).toBe(303);
    return { cert, cookies };
  }

  function whoami(session: { cert: ClientCertificate; cookies: Map<string, string> }): Promise<Response> {
    return gw.request({ path: '/api/whoami', cert: session.cert, cookies: session.cookies, headers: { accept: 'application/json' } });
  }

  it('asking changes nothing; the mailed link sets the new password once and ends the old sessions', async () => {
    gw.clock.set(new Date());
    const user = await gw.user({ grant: true });
    const gateway = await gatewaySession(user);
    const portal = new Browser(gw);
    expect((await portal.login(user.identifier, PASSWORD)).status).toBe(303);
    const before = (await gw.runtime.storage.users.findById(user.id))!;

    const asked = await ask(user);
    expect(asked.status).toBe(303);
    expect(asked.headers.location).toBe('/mot-de-passe-oublie?envoye=1');

    // Defect 3: the current password, the gateway session and the portal session all still work.
    const after = (await gw.runtime.storage.users.findById(user.id))!;
    expect(after).toMatchObject({ status: 'active', passwordHash: before.passwordHash, provisionalExpiresAt: null });
    expect((await new Browser(gw).login(user.identifier, PASSWORD)).status).toBe(303);
    expect((await whoami(gateway)).status).toBe(200);
    expect((await portal.get('/compte')).status).toBe(200);

    // The mail, delivered by the outbox worker, carries a link on the configured public URL.
    const { token } = await linkFromOutbox(user.email);
    const delivered = (await deliver(user.email)).filter((m) => m.subject === '[Passerelle] Choisir un nouveau mot de passe');
    expect(delivered).toHaveLength(1);
    const href = /<a href="([^"]+)"/.exec(delivered[0]!.html)![1]!.replace(/&amp;/g, '&');
    expect(href).toBe(`${gw.config.publicUrl}${linkPath(token)}`);
    expect(delivered[0]!.text).toContain(user.identifier);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Stored hashed: the raw token is nowhere in the database once the mail is sent.
    const rows = await gw.runtime.storage.db.all<Record<string, unknown>>('SELECT * FROM password_resets WHERE user_id = ?', [user.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(sha256(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    const outbox = await gw.runtime.storage.db.all<{ payload: string }>('SELECT payload FROM outbox');
    expect(outbox.some((m) => m.payload.includes(token))).toBe(false);

    // Opening the link spends nothing (mail scanners open links).
    const browser = new Browser(gw);
    for (let i = 0; i < 2; i += 1) {
      const page = await browser.get(linkPath(token));
      expect(page.status).toBe(200);
      expect(page.body).toContain('data-page="portal-password-reset"');
      expect(errorCode(page.body)).toBeNull();
      expect(text(page.body)).toContain(user.identifier);
    }
    // The password policy applies; a refused password spends nothing either.
    const weak = await choose(token, 'azertyuiop2024', 'azertyuiop2024', browser);
    expect(weak.status).toBe(400);
    expect(text(weak.body)).toContain('trop courant');
    const mismatch = await choose(token, NEW_PASSWORD, `${NEW_PASSWORD}!`, browser);
    expect(mismatch.status).toBe(400);
    expect(text(mismatch.body)).toContain('ne sont pas identiques');
    const reused = await choose(token, PASSWORD, PASSWORD, browser);
    expect(reused.status).toBe(400);
    expect(text(reused.body)).toContain('déjà utilisé ce mot de passe');
    expect((await gw.runtime.storage.users.findById(user.id))!.passwordHash).toBe(before.passwordHash);

    const done = await choose(token, NEW_PASSWORD, NEW_PASSWORD, browser);
    expect(done.status).toBe(200);
    expect(errorCode(done.body)).toBeNull();
    expect(text(done.body)).toContain('votre mot de passe est changé');
    expect((await gw.runtime.storage.users.findById(user.id))!.status).toBe('active');
    expect((await new Browser(gw).login(user.identifier, PASSWORD)).status).toBe(401);
    expect((await new Browser(gw).login(user.identifier, NEW_PASSWORD)).status).toBe(303);
    // Whoever held the old password is out, on the gateway and on the portal.
    expect((await whoami(gateway)).status).toBe(401);
    expect((await portal.get('/compte')).status).toBe(303);
    expect(await queued('password-reset.done', user.email)).toHaveLength(1);

    // Second use of the same link: refused, nothing changes.
    const hash = (await gw.runtime.storage.users.findById(user.id))!.passwordHash;
    const again = await choose(token, 'encore une autre phrase secrète');
    expect(again.status).toBe(410);
    expect(errorCode(again.body)).toBe('reset_used');
    expect((await gw.runtime.storage.users.findById(user.id))!.passwordHash).toBe(hash);

    const audit = await gw.runtime.storage.audit.list({ subject: user.identifier });
    expect(audit.filter((e) => e.action === 'password.reset_requested').map((e) => e.outcome)).toEqual(['success']);
    expect(audit.filter((e) => e.action === 'password.reset').map((e) => `${e.outcome}:${e.reason ?? ''}`).sort()).toEqual(['failure:link_used', 'success:']);
    expect(audit.some((e) => e.action === 'password.reset.sessions')).toBe(true);
  });

  it('an expired link (injected clock) is refused and changes nothing', async () => {
    gw.clock.set(new Date());
    const user = await gw.user({ grant: false });
    expect((await ask(user)).status).toBe(303);
    const { token } = await linkFromOutbox(user.email);
    gw.clock.advance(RESET_TTL_MS - 60_000);
    expect((await new Browser(gw).get(linkPath(token))).status).toBe(200);
    gw.clock.advance(60_000);
    const page = await new Browser(gw).get(linkPath(token));
    expect(page.status).toBe(410);
    expect(errorCode(page.body)).toBe('reset_expired');
    const posted = await choose(token, NEW_PASSWORD);
    expect(posted.status).toBe(410);
    expect(errorCode(posted.body)).toBe('reset_expired');
    expect((await new Browser(gw).login(user.identifier, PASSWORD)).status).toBe(303);
    gw.clock.set(new Date());
  });

  it('answers the same whether or not the pair matches; only a match gets a mail and a link', async () => {
    const user = await gw.user({ grant: false });
    const stranger = await gw.user({ grant: false });
    const cases = [
      { identifier: user.identifier.toUpperCase(), email: user.email.toUpperCase() },
      { identifier: stranger.identifier, email: user.email },
      { identifier: 'personne.inconnue', email: stranger.email },
    ];
    const answers: Array<{ status: number; location: string | undefined; page: string }> = [];
    for (const fields of cases) {
      const browser = new Browser(gw);
      const res = await browser.submit('/mot-de-passe-oublie', '/mot-de-passe-oublie', fields);
      const page = await browser.get(res.headers.location!);
      answers.push({ status: res.status, location: res.headers.location, page: text(page.body).replace(/value="[^"]*"/g, '') });
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(answers[0]!.page).toContain('un lien pour choisir un nouveau mot de passe');
    expect((await queued('password-reset.link', user.email)).length).toBe(1);
    expect(await queued('password-reset.link', stranger.email)).toHaveLength(0);
    expect(await gw.runtime.storage.db.all('SELECT id FROM password_resets WHERE user_id = ?', [stranger.id])).toHaveLength(0);
    const reasons = (await gw.runtime.storage.audit.list({ action: 'password.reset_requested' })).filter((e) => [user.identifier, stranger.identifier, 'personne.inconnue'].includes(e.subject ?? ''));
    expect(reasons.map((e) => e.reason ?? 'sent').sort()).toEqual(['no_match', 'no_match', 'sent']);
  });

  it('a newer link replaces the older one', async () => {
    const user = await gw.user({ grant: false });
    expect((await ask(user)).status).toBe(303);
    const first = (await linkFromOutbox(user.email)).token;
    expect((await ask(user)).status).toBe(303);
    const second = (await linkFromOutbox(user.email)).token;
    expect(second).not.toBe(first);
    const old = await choose(first, NEW_PASSWORD);
    expect(old.status).toBe(410);
    expect(errorCode(old.body)).toBe('reset_used');
    expect((await choose(second, NEW_PASSWORD)).status).toBe(200);
  });

  it('two uses of one link at the same time: exactly one sets the password', async () => {
    const user = await gw.user({ grant: false });
    expect((await forgotPassword(gw.runtime, { identifier: user.identifier, email: user.email }, { ip: null, lang: 'fr' })).ok).toBe(true);
    const { token } = await linkFromOutbox(user.email);
    const tabs = await Promise.all(
      ['première phrase assez longue', 'seconde phrase assez longue', 'troisième phrase assez longue', 'quatrième phrase assez longue'].map(async (password) => {
        const browser = new Browser(gw);
        const page = await browser.get(linkPath(token));
        return { browser, csrf: csrfOf(page.body), password };
      }),
    );
    const results = await Promise.all(tabs.map((tab) => tab.browser.post(RESET_PATH, { csrf: tab.csrf, token, password: tab.password, confirmation: tab.password })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 410, 410, 410]);
    const winner = tabs[results.findIndex((r) => r.status === 200)]!;
    expect((await new Browser(gw).login(user.identifier, winner.password)).status).toBe(303);
    expect(await queued('password-reset.done', user.email)).toHaveLength(1);
  });

  it('a locked account gets no link, and a link does not unlock it', async () => {
    const user = await gw.user({ grant: false });
    expect((await forgotPassword(gw.runtime, { identifier: user.identifier, email: user.email }, { ip: null, lang: 'fr' })).ok).toBe(true);
    const { token } = await linkFromOutbox(user.email);
    for (let i = 0; i < gw.config.lockout.maxFailures; i += 1) await new Browser(gw).login(user.identifier, `faux-${i}`);
    const locked = (await gw.runtime.storage.users.findById(user.id))!;
    expect(locked.status).toBe('locked');

    expect((await forgotPassword(gw.runtime, { identifier: user.identifier, email: user.email }, { ip: null, lang: 'fr' })).ok).toBe(true);
    expect(await queued('password-reset.link', user.email)).toHaveLength(1);

    const page = await new Browser(gw).get(linkPath(token));
    expect(page.status).toBe(403);
    expect(errorCode(page.body)).toBe('reset_account_unavailable');
    const posted = await choose(token, NEW_PASSWORD);
    expect(posted.status).toBe(403);
    expect(errorCode(posted.body)).toBe('reset_account_unavailable');
    expect((await gw.runtime.storage.users.findById(user.id))!).toMatchObject({ status: 'locked', passwordHash: locked.passwordHash });
  });

  it('a provisional account stays provisional: the new password leads to the first login', async () => {
    const { user } = await gw.runtime.accounts.createUser({ givenName: 'Paul', familyName: 'Reset', email: 'paul.reset@example.org' }, { name: 'test' });
    expect((await forgotPassword(gw.runtime, { identifier: user.identifier, email: user.email }, { ip: null, lang: 'fr' })).ok).toBe(true);
    const { token } = await linkFromOutbox(user.email);
    expect((await choose(token, NEW_PASSWORD)).status).toBe(200);
    const after = (await gw.runtime.storage.users.findById(user.id))!;
    expect(after.status).toBe('provisional');
    expect(after.provisionalExpiresAt).toBe(gw.clock.now().getTime() + gw.config.accounts.provisionalPasswordDays * 86_400_000);
    expect((await new Browser(gw).login(user.identifier, NEW_PASSWORD)).headers.location).toBe('/premiere-connexion');
  });

  it('an unknown or malformed link gets a clear page and changes nothing', async () => {
    const resets = await gw.runtime.storage.db.all('SELECT id, used_at FROM password_resets');
    for (const token of ['', 'abc', 'A'.repeat(43), '<script>'.repeat(6)]) {
      const page = await new Browser(gw).get(linkPath(token));
      expect(page.status).toBe(400);
      expect(errorCode(page.body)).toBe('reset_invalid');
      const posted = await choose(token, NEW_PASSWORD);
      expect(posted.status).toBe(400);
      expect(errorCode(posted.body)).toBe('reset_invalid');
    }
    expect(await gw.runtime.storage.db.all('SELECT id, used_at FROM password_resets')).toEqual(resets);
  });
});
