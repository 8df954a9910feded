/**
 * Issue 9, defects 1, 4 and 8: the one login policy under real concurrency (real TLS, real
 * argon2, SQLite and PostgreSQL), the collective-workstation oracles, and what the audit trail
 * keeps of a mistyped identifier.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginPolicy } from '../src/regulation/login-policy.ts';
import { generate as totpCode } from 'otplib';
import { TotpService } from '../src/console/index.ts';
import { INVALID_IDENTIFIER, auditedIdentifier } from '../src/authentication/audited-identifier.ts';
import type { User } from '../src/model/index.ts';
import { PASSWORD, csrfOf, errorCode, startTestGateway, type ClientCertificate, type Response, type TestGateway } from './helpers/gateway.ts';
import { databaseBackends } from './helpers/backends.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const WRONG = 'wrong password!';
const BURST = 40;

/** Resolves once `condition` holds (a condition, not a duration: the test cannot pass by waiting). */
async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe.each(databaseBackends())('login policy on $name', ({ url }) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ databaseUrl: url });
  });
  afterAll(async () => {
    await gw?.close();
  });

  const users = () => gw.runtime.storage.users;
  it('console second factor: a burst of wrong codes gets at most maxFailures codes checked (the right one included), locks once, then refuses the right code', async () => {
    const user = await gw.user();
    const actor = { name: user.identifier, ip: '198.51.100.7', userId: user.id, certificateSerial: null };
    const totp = new TotpService(gw.runtime, 'k'.repeat(48));
    const { secret } = await totp.beginEnrolment(user, actor);
    const code = () => totpCode({ secret, epoch: Math.floor(gw.clock.now().getTime() / 1000) });
    expect(await totp.confirmEnrolment(user, await code(), actor)).toMatchObject({ ok: true });
    gw.clock.advance(60_000); // the enrolment's time step is spent: the right code below is a fresh one
    const right = await code();
    const wrong = right === '000000' ? '111111' : '000000';
    const answers = await Promise.all(Array.from({ length: BURST }, (_, i) => totp.verify(user, i === BURST / 2 ? right : wrong, actor)));
    const max = gw.config.lockout.maxFailures;
    const checkedWrong = (await audit({ action: 'console.totp.verify', subject: user.identifier })).filter((e) => e.outcome === 'failure' && e.reason === 'invalid_code');
    expect(checkedWrong.length).toBeLessThanOrEqual(max);
    expect((await audit({ action: 'user.lockout', subject: user.identifier })).length).toBe(1);
    expect((await users().findById(user.id))?.status).toBe('locked');
    // At most maxFailures codes were checked in all, the right one included if it was among them: never more.
    expect(answers.filter((a) => a.ok).length).toBeLessThanOrEqual(1);
    expect(checkedWrong.length + answers.filter((a) => a.ok).length).toBeLessThanOrEqual(max);
    // Locked: even the right code is refused now, unchecked.
    gw.clock.advance(60_000);
    expect(await totp.verify(user, await code(), actor)).toMatchObject({ ok: false, locked: true });
  });


  const audit = (filter: { action: string; subject?: string }) => gw.runtime.storage.audit.list({ ...filter, limit: 10_000 });

  /** One portal session (cookie jar + CSRF token) shared by every request of a burst. */
  async function portalForm(): Promise<(identifier: string, password: string) => Promise<Response>> {
    const cookies = new Map<string, string>();
    const form = await gw.request({ port: 'public', host: 'localhost', path: '/connexion', cookies });
    const csrf = csrfOf(form.body);
    return (identifier, password) =>
      gw.request({ port: 'public', host: 'localhost', method: 'POST', path: '/connexion', cookies, headers: FORM, body: new URLSearchParams({ csrf, identifier, password }).toString() });
  }

  /** One gateway session on the login form of the application host, for a certificate. */
  async function gatewayForm(cert: ClientCertificate): Promise<(password: string, identifier?: string) => Promise<Response>> {
    const cookies = new Map<string, string>();
    const form = await gw.request({ path: '/.passerelle/login', cert, cookies });
    expect(form.status).toBe(200);
    const csrf = csrfOf(form.body);
    return (password, identifier) =>
      gw.request({ method: 'POST', path: '/.passerelle/login', cert, cookies, headers: FORM, body: new URLSearchParams({ csrf, password, next: '/', ...(identifier === undefined ? {} : { identifier }) }).toString() });
  }

  /**
   * 40 attempts at once, the right password in the middle. The first half is sent, and once
   * every attempt of the account is reserved (in flight or answered) the second half follows
   * with the right password among them, so which requests got the 5 attempts is not left to
   * chance: the right one must be refused, whatever the old counter would have let through.
   */
  async function burst(user: User, send: (password: string) => Promise<Response>): Promise<{ right: Response; all: Response[] }> {
    const first = Array.from({ length: BURST / 2 }, () => send(WRONG));
    await until(async () => ((await users().findById(user.id))?.failedLogins ?? 0) >= gw.config.lockout.maxFailures);
    const second = Array.from({ length: BURST / 2 }, (_, i) => send(i === BURST / 4 ? PASSWORD : WRONG));
    const all = await Promise.all([...first, ...second]);
    return { right: all[BURST / 2 + BURST / 4]!, all };
  }

  /**
   * Every answer is "wrong credentials" (401) or "locked" (403); at most maxFailures - 1 are 401.
   * Which of the last concurrent failures locks is a race, so only the bound is fixed.
   */
  function expectAnswers(responses: Response[]): void {
    const wrong = responses.filter((r) => r.status === 401).length;
    const locked = responses.filter((r) => r.status === 403 && errorCode(r.body) === 'account_locked').length;
    expect(wrong + locked).toBe(BURST);
    expect(wrong).toBeLessThanOrEqual(gw.config.lockout.maxFailures - 1);
  }

  it('portal /connexion: 40 concurrent attempts check exactly 5 passwords, lock once, and refuse the right one', async () => {
    const user = await gw.user({ givenName: 'Burst', familyName: 'Portail' });
    await gw.runtime.storage.users.activate(user.id, { givenName: 'Burst', familyName: 'Portail', profession: null, rpps: null }, gw.clock.now().getTime());
    const send = await portalForm();
    const { right, all } = await burst(user, (password) => send(user.identifier, password));

    const max = gw.config.lockout.maxFailures;
    const logins = await audit({ action: 'portal.login', subject: user.identifier });
    expect(logins.filter((e) => e.reason === 'wrong_password')).toHaveLength(max);
    expect(logins.filter((e) => e.outcome === 'success')).toHaveLength(0);
    expect(await audit({ action: 'user.lockout', subject: user.identifier })).toHaveLength(1);
    expect(await users().findById(user.id)).toMatchObject({ status: 'locked', failedLogins: max, lastLoginAt: null });
    // At most 4 "wrong credentials"; the attempt that locks and every refusal say "locked".
    expectAnswers(all);
    expect(right.status).toBe(403);
    expect(errorCode(right.body)).toBe('account_locked');
  });

  it('gateway login: 40 concurrent attempts check exactly 5 passwords, lock once, and refuse the right one', async () => {
    const user = await gw.user({ givenName: 'Burst', familyName: 'Passerelle' });
    await gw.runtime.storage.users.activate(user.id, { givenName: 'Burst', familyName: 'Passerelle', profession: null, rpps: null }, gw.clock.now().getTime());
    const send = await gatewayForm(await gw.personalCertificate(user));
    const { right, all } = await burst(user, (password) => send(password));

    const max = gw.config.lockout.maxFailures;
    const logins = await audit({ action: 'gateway.login', subject: user.identifier });
    expect(logins.filter((e) => e.reason === 'wrong_password')).toHaveLength(max);
    expect(logins.filter((e) => e.outcome === 'success')).toHaveLength(0);
    expect(await audit({ action: 'user.lockout', subject: user.identifier })).toHaveLength(1);
    expect(await users().findById(user.id)).toMatchObject({ status: 'locked', failedLogins: max, lastLoginAt: null });
    expectAnswers(all);
    expect(right.status).toBe(403);
    expect(errorCode(right.body)).toBe('account_locked');
  });

  it('a right password whose check races the lock is refused, and records no login', async () => {
    const user = await gw.user({ givenName: 'Course', familyName: 'Verrou' });
    const { storage, clock, auditor } = gw.runtime;
    const policy = new LoginPolicy(storage, clock, auditor, gw.config.lockout.maxFailures);
    const context = { ip: '203.0.113.9' };
    for (let n = 1; n <= gw.config.lockout.maxFailures - 2; n += 1) expect(await policy.attempt(user, () => Promise.resolve(false), context)).toMatchObject({ ok: false, reason: 'wrong_password' });
    // While the right password is being checked, a concurrent wrong one spends the last attempt.
    let concurrent: unknown;
    const outcome = await policy.attempt(
      user,
      async () => {
        concurrent = await policy.attempt(user, () => Promise.resolve(false), context);
        return true;
      },
      context,
    );
    expect(concurrent).toEqual({ ok: false, reason: 'wrong_password', locked: true, remaining: 0 });
    expect(outcome).toEqual({ ok: false, reason: 'account_locked' });
    expect(await policy.recordLogin(user, '203.0.113.9')).toBe(false);
    expect(await users().findById(user.id)).toMatchObject({ status: 'locked', lastLoginAt: null });
    // Locked: refused before any check runs.
    let checked = false;
    expect(
      await policy.attempt(
        user,
        () => {
          checked = true;
          return Promise.resolve(true);
        },
        context,
      ),
    ).toEqual({ ok: false, reason: 'account_locked' });
    expect(checked).toBe(false);
  });

  it('a right password ends the streak: four failures, success, four failures do not lock', async () => {
    const user = await gw.user({ givenName: 'Serie', familyName: 'Remise' });
    const policy = new LoginPolicy(gw.runtime.storage, gw.runtime.clock, gw.runtime.auditor, gw.config.lockout.maxFailures);
    const context = { ip: null };
    for (let round = 0; round < 2; round += 1) {
      for (let n = 1; n < gw.config.lockout.maxFailures; n += 1) {
        expect(await policy.attempt(user, () => Promise.resolve(false), context)).toEqual({ ok: false, reason: 'wrong_password', locked: false, remaining: gw.config.lockout.maxFailures - n });
      }
      expect(await policy.attempt(user, () => Promise.resolve(true), context)).toEqual({ ok: true });
    }
    expect(await users().findById(user.id)).toMatchObject({ status: user.status, failedLogins: 0 });
  });

  describe('collective workstation', () => {
    /** The page without what legitimately differs between two answers: the typed identifier and the CSRF token. */
    const shape = (body: string, identifier: string) => body.replaceAll(identifier, '«identifier»').replace(/value="[A-Za-z0-9_-]{20,}"/g, 'value="«token»"');

    it('answers an unknown identifier, someone of another establishment and a wrong password alike, recording nothing about the outsider', async () => {
      const here = await gw.establishment('Clinique des Oracles');
      const elsewhere = await gw.establishment('Hôpital voisin');
      const member = await gw.user({ establishmentId: here.id, givenName: 'Membre', familyName: 'Ici' });
      const outsider = await gw.user({ establishmentId: elsewhere.id, givenName: 'Autre', familyName: 'Ailleurs' });
      for (const u of [member, outsider]) await users().activate(u.id, { givenName: u.givenName, familyName: u.familyName, profession: null, rpps: null }, gw.clock.now().getTime());
      // The outsider has two failures on record and no login: the right password must change neither.
      for (let n = 0; n < 2; n += 1) await users().recordFailure(outsider.id, gw.config.lockout.maxFailures, gw.clock.now().getTime());
      const send = await gatewayForm(await gw.collectiveCertificate(here, 'Poste partagé'));

      const unknown = await send(PASSWORD, 'personne.inconnue');
      const foreign = await send(PASSWORD, outsider.identifier);
      const foreignWrong = await send(WRONG, outsider.identifier);
      const wrong = await send(WRONG, member.identifier);

      for (const r of [unknown, foreign, foreignWrong, wrong]) {
        expect(r.status).toBe(401);
        expect(errorCode(r.body)).toBeNull();
      }
      const reference = shape(unknown.body, 'personne.inconnue');
      expect(shape(foreign.body, outsider.identifier)).toBe(reference);
      expect(shape(foreignWrong.body, outsider.identifier)).toBe(reference);
      // No "N attempts left" for a member either: the count would tell which identifiers exist here.
      expect(shape(wrong.body, member.identifier)).toBe(reference);

      expect(await users().findById(outsider.id)).toMatchObject({ failedLogins: 2, lastLoginAt: null, status: 'active' });
      expect(await users().findById(member.id)).toMatchObject({ failedLogins: 1 });
      const outsiderEvents = await audit({ action: 'gateway.login', subject: outsider.identifier });
      expect(outsiderEvents.map((e) => [e.outcome, e.reason])).toEqual([
        ['failure', 'not_member_of_establishment'],
        ['failure', 'not_member_of_establishment'],
      ]);
      // The member still signs in.
      const ok = await send(PASSWORD, member.identifier);
      expect(ok.status).toBe(303);
      expect(await users().findById(member.id)).toMatchObject({ failedLogins: 0 });
    });
  });

  describe('identifier field in the audit trail', () => {
    const typedPassword = 'Mon Mot-De-Passe 2024!';

    it('keeps a plausible identifier and replaces anything else with "(invalid identifier)", on the portal and the gateway', async () => {
      const portal = await portalForm();
      expect((await portal(typedPassword, 'x')).status).toBe(401);
      expect((await portal('Personne.Inconnue', 'x')).status).toBe(401);
      const establishment = await gw.establishment('Centre Audit');
      const gateway = await gatewayForm(await gw.collectiveCertificate(establishment));
      expect((await gateway('x', 'hunter2hunter2')).status).toBe(401);

      const events = [...(await audit({ action: 'portal.login' })), ...(await audit({ action: 'gateway.login' }))];
      const serialised = JSON.stringify(events);
      expect(serialised).not.toContain(typedPassword);
      expect(serialised).not.toContain('hunter2hunter2');
      expect(events.filter((e) => e.subject === INVALID_IDENTIFIER && e.reason === 'unknown_identifier')).toHaveLength(2);
      expect(events.some((e) => e.subject === 'personne.inconnue' && e.reason === 'unknown_identifier')).toBe(true);
    });
  });
});

describe('auditedIdentifier', () => {
  it.each([
    ['helene.lefevre', 'helene.lefevre'],
    ['  Helene.Lefevre-2 ', 'helene.lefevre-2'],
    ['jean-marc.du-pont', 'jean-marc.du-pont'],
    ['', null],
    ['helene', INVALID_IDENTIFIER],
    ['123456', INVALID_IDENTIFIER],
    ['helene lefevre', INVALID_IDENTIFIER],
    ['Tr0ub4dor&3', INVALID_IDENTIFIER],
    ['hélène.lefèvre', INVALID_IDENTIFIER],
    ['helene..lefevre', INVALID_IDENTIFIER],
    [`${'a'.repeat(60)}.${'b'.repeat(60)}`, INVALID_IDENTIFIER],
  ])('%j → %j', (typed, recorded) => {
    expect(auditedIdentifier(typed)).toBe(recorded);
  });
});
