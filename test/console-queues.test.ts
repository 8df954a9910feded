/**
 * The coordination console over real TLS on the gateway listener (console host): who gets in,
 * the dashboard's counts, the three queues (single and bulk decisions, CSRF), the four-eyes rule
 * and the TOTP second factor. SQLite, and PostgreSQL when DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Command } from 'commander';
import { generate as totpCode } from 'otplib';
import { registerConsoleCommands } from '../src/cli/commands/console.ts';
import { createToken } from '../src/tokens/index.ts';
import { TotpService } from '../src/console/index.ts';
import type { Registration, User } from '../src/model/index.ts';
import { PASSWORD, csrfOf, errorCode, startTestGateway, type ClientCertificate, type Response, type TestGateway } from './helpers/gateway.ts';
import { databaseBackends } from './helpers/backends.ts';

const CONSOLE = 'console.localhost';
const DAY = 86_400_000;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

interface Person {
  user: User;
  cert: ClientCertificate;
}

interface Session {
  cert: ClientCertificate;
  cookies: Map<string, string>;
}

/** `data-count="key" data-value="n"` of the dashboard. */
function countOf(body: string, key: string): number {
  const match = new RegExp(`data-count="${key}" data-value="(\\d+)"`).exec(body);
  if (!match) throw new Error(`no count ${key}`);
  return Number(match[1]);
}

describe.each(databaseBackends())('coordination console on $name', ({ url }) => {
  let gw: TestGateway;
  let alice: Person;
  let bob: Person;
  let clinician: Person;
  let counter = 0;

  async function coordinator(givenName: string, establishmentId: string | null = null): Promise<Person> {
    const { user } = await gw.runtime.accounts.createUser(
      { givenName, familyName: 'Coordo', email: `${givenName.toLowerCase()}@cellule.example.org`, role: 'coordinator', password: PASSWORD, establishmentId },
      { name: 'test', ip: null },
    );
    return { user, cert: await gw.personalCertificate(user) };
  }

  beforeAll(async () => {
    gw = await startTestGateway({ databaseUrl: url });
    alice = await coordinator('Alice');
    bob = await coordinator('Bob');
    const user = await gw.user({ givenName: 'Claire' });
    clinician = { user, cert: await gw.personalCertificate(user) };
  });
  afterAll(async () => {
    await gw?.close();
  });

  /** Opens a console session like a browser: the login form on the console host, then the password. */
  async function signIn(cert: ClientCertificate, identifier?: string): Promise<Session & { response: Response }> {
    const cookies = new Map<string, string>();
    const form = await gw.request({ host: CONSOLE, path: '/.passerelle/login?next=/', cert, cookies });
    expect(form.status).toBe(200);
    const body = new URLSearchParams({ csrf: csrfOf(form.body), password: PASSWORD, next: '/', ...(identifier ? { identifier } : {}) });
    const response = await gw.request({ host: CONSOLE, method: 'POST', path: '/.passerelle/login', cert, cookies, headers: FORM, body: body.toString() });
    expect(response.status).toBe(303);
    return { cert, cookies, response };
  }

  const get = (s: Session, path: string) => gw.request({ host: CONSOLE, path, cert: s.cert, cookies: s.cookies });
  const post = (s: Session, path: string, fields: Record<string, string | string[]>) => {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
    return gw.request({ host: CONSOLE, method: 'POST', path, cert: s.cert, cookies: s.cookies, headers: FORM, body: body.toString() });
  };
  /** The CSRF token of the page at `path` (the session's token). */
  const tokenOf = async (s: Session, path = '/') => csrfOf((await get(s, path)).body);

  async function registration(overrides: Partial<Registration> = {}): Promise<Registration> {
    counter += 1;
    const r = {
      id: randomUUID(),
      givenName: 'Inès',
      familyName: `Queue${counter}`,
      email: `queue${counter}@example.org`,
      profession: 'Kinésithérapeute',
      rpps: null,
      establishmentId: null,
      establishmentName: 'Cabinet des Lilas',
      reason: 'Réadaptation respiratoire',
      requestedApplication: 'opendrp',
      lang: 'fr' as const,
      ip: '198.51.100.7',
      createdAt: gw.clock.now().getTime(),
      ...overrides,
    };
    await gw.runtime.storage.registrations.insert(r);
    return (await gw.runtime.storage.registrations.findById(r.id))!;
  }

  async function certificateRequest(user: User, label = 'Cabinet — poste accueil'): Promise<string> {
    const id = randomUUID();
    await gw.runtime.storage.certificateRequests.insert({ id, kind: 'personal', userId: user.id, establishmentId: null, label, requestedBy: user.identifier, createdAt: gw.clock.now().getTime() });
    return id;
  }

  async function accessRequest(user: User): Promise<string> {
    const id = randomUUID();
    await gw.runtime.storage.accessRequests.insert({ id, userId: user.id, applicationId: 'opendrp', createdAt: gw.clock.now().getTime() });
    return id;
  }

  const statusOf = async (id: string) => (await gw.runtime.storage.registrations.findById(id))!.status;
  const userCount = async () => Number((await gw.runtime.storage.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM users'))!.n);
  const mailCount = async () => Number((await gw.runtime.storage.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM outbox'))!.n);

  describe('who gets in', () => {
    it('a coordinator reaches the dashboard, whose counts match the database', async () => {
      await registration();
      await registration();
      const decided = await registration();
      await gw.runtime.storage.registrations.reject(decided.id, 'hors périmètre', 'test', gw.clock.now().getTime());
      await certificateRequest(clinician.user);
      await accessRequest(clinician.user);
      const locked = await gw.user();
      await gw.runtime.storage.users.setStatus(locked.id, 'locked', gw.clock.now().getTime());
      // Two certificates near their end: within 60 days, and just past it.
      const soon = await gw.personalCertificate(await gw.user());
      const later = await gw.personalCertificate(await gw.user());
      const now = gw.clock.now().getTime();
      await gw.runtime.storage.db.run('UPDATE certificates SET not_after = ? WHERE serial = ?', [now + 59 * DAY, soon.serial]);
      await gw.runtime.storage.db.run('UPDATE certificates SET not_after = ? WHERE serial = ?', [now + 61 * DAY, later.serial]);
      const failing = randomUUID();
      await gw.runtime.storage.outbox.enqueue({ id: failing, recipient: 'x@example.org', template: 'registration.rejected', lang: 'fr', payload: '{}', createdAt: now });
      await gw.runtime.storage.db.run("UPDATE outbox SET status = 'failed' WHERE id = ?", [failing]);

      const s = await signIn(alice.cert);
      const page = await get(s, '/');
      expect(page.status).toBe(200);
      expect(page.body).toContain('data-page="console-dashboard"');
      expect(countOf(page.body, 'pendingRegistrations')).toBe(2);
      expect(countOf(page.body, 'pendingCertificateRequests')).toBe(1);
      expect(countOf(page.body, 'pendingAccessRequests')).toBe(1);
      expect(countOf(page.body, 'lockedAccounts')).toBe(1);
      expect(countOf(page.body, 'expiringCertificates')).toBe(1);
      expect(countOf(page.body, 'failedMails')).toBe(1);
      // The four-eyes rule is off here: no "Doubles validations" count or box (issue 11, point 9).
      expect(page.body).not.toContain('data-count="pendingSecondApprovals"');
      expect(page.body).not.toContain('id="approvals-title"');
      expect(page.body).toContain('href="/inscriptions"');
      expect(page.body).toContain('Certificats expirant dans les 60 jours');
      expect(page.body).toContain(`Connecté en tant que ${alice.user.identifier}`);
    });

    it('a clinician gets the not_coordinator page (403) before any password, audited', async () => {
      const s = { cert: clinician.cert, cookies: new Map<string, string>() };
      for (const path of ['/.passerelle/login', '/', '/inscriptions', '/second-facteur/activation']) {
        const page = await get(s, path);
        expect(page.status).toBe(403);
        expect(errorCode(page.body)).toBe('not_coordinator');
      }
      const denied = await gw.runtime.storage.audit.list({ action: 'console.access' });
      expect(denied.some((e) => e.outcome === 'failure' && e.reason === 'not_coordinator' && e.actor === clinician.user.identifier && e.certificateSerial === clinician.cert.serial)).toBe(true);
    });

    it('a coordinator on a collective certificate is refused', async () => {
      const establishment = await gw.establishment('Clinique des Tilleuls');
      const carol = await coordinator('Carol', establishment.id);
      const shared = await gw.collectiveCertificate(establishment);
      expect(carol.user.establishmentId).toBe(establishment.id);
      const s = { cert: shared, cookies: new Map<string, string>() };
      expect(errorCode((await get(s, '/.passerelle/login')).body)).toBe('not_coordinator');
      const page = await get(s, '/');
      expect(page.status).toBe(403);
      expect(errorCode(page.body)).toBe('not_coordinator');
      expect((await get(s, '/inscriptions')).status).toBe(403);
    });
  });

  describe('queues', () => {
    it('approve from the queue needs the form token; without it nothing changes', async () => {
      const existing = await gw.user({ givenName: 'Jeanne', familyName: 'Martin' });
      const r = await registration({ givenName: 'Jeanne', familyName: 'Martin', email: existing.email });
      const s = await signIn(alice.cert);

      const list = await get(s, '/inscriptions');
      expect(list.status).toBe(200);
      const row = list.body.slice(list.body.indexOf(`data-id="${r.id}"`));
      expect(row.slice(0, row.indexOf('</tr>'))).toContain(`Compte ${existing.identifier}`);
      const detail = await get(s, `/inscriptions/${r.id}`);
      expect(detail.status).toBe(200);
      expect(detail.body).toContain('data-testid="duplicates"');
      expect(detail.body).toContain('Correspond par\u00a0: courriel, nom');

      const [users, mails] = [await userCount(), await mailCount()];
      for (const csrf of [null, 'not-the-token']) {
        const refused = await post(s, `/inscriptions/${r.id}/approuver`, csrf ? { csrf } : {});
        expect(refused.status).toBe(403);
        expect(errorCode(refused.body)).toBe('invalid_csrf_token');
        expect((await gw.runtime.storage.audit.list({ action: 'console.csrf' })).length).toBeGreaterThan(0);
      }
      expect(await statusOf(r.id)).toBe('pending');
      expect([await userCount(), await mailCount()]).toEqual([users, mails]);

      const approved = await post(s, `/inscriptions/${r.id}/approuver`, { csrf: csrfOf(detail.body) });
      expect(approved.status).toBe(303);
      // The confirmation names the identifier just created (issue 11, point 9).
      const location = approved.headers.location as string;
      const created = /^\/inscriptions\?ok=approved&identifier=([a-z0-9.-]+)$/.exec(location)?.[1];
      expect(created).toBeDefined();
      expect(await gw.runtime.storage.users.findByIdentifier(created!)).toBeDefined();
      expect((await get(s, location)).body).toContain(`le compte ${created} est créé`);
      const after = (await gw.runtime.storage.registrations.findById(r.id))!;
      expect(after).toMatchObject({ status: 'approved', decidedBy: alice.user.identifier });
      expect(await userCount()).toBe(users + 1);
      const audit = (await gw.runtime.storage.audit.list({ action: 'registration.approve' })).find((e) => (e.details as { registrationId?: string } | null)?.registrationId === r.id);
      expect(audit).toMatchObject({ outcome: 'success', actor: alice.user.identifier, ip: '127.0.0.1' });
      expect((await get(s, '/inscriptions?ok=approved')).body).toContain('Décision enregistrée\u00a0: approuvée.');

      // Twice: already decided, shown on the item's page, nothing more created.
      const again = await post(s, `/inscriptions/${r.id}/approuver`, { csrf: csrfOf(detail.body) });
      expect(again.status).toBe(409);
      expect(again.body).toContain('data-error-code="already_decided"');
      expect(await userCount()).toBe(users + 1);
    });

    it('reject needs a reason, which is mailed', async () => {
      const r = await registration();
      const s = await signIn(bob.cert);
      const csrf = await tokenOf(s, `/inscriptions/${r.id}`);
      const missing = await post(s, `/inscriptions/${r.id}/refuser`, { csrf, reason: '  ' });
      expect(missing.status).toBe(400);
      expect(missing.body).toContain('data-error-code="reason_required"');
      expect(await statusOf(r.id)).toBe('pending');

      const rejected = await post(s, `/inscriptions/${r.id}/refuser`, { csrf, reason: 'Profession hors du périmètre de l’ENRS' });
      expect(rejected.status).toBe(303);
      expect(rejected.headers.location).toBe('/inscriptions?ok=rejected');
      expect(await gw.runtime.storage.registrations.findById(r.id)).toMatchObject({ status: 'rejected', decidedBy: bob.user.identifier, decisionReason: 'Profession hors du périmètre de l’ENRS' });
      const mail = (await gw.runtime.storage.outbox.list()).find((m) => m.recipient === r.email);
      expect(mail?.template).toBe('registration.rejected');
    });

    it('bulk: two registrations approved after a confirmation page', async () => {
      const [one, two] = [await registration(), await registration()];
      const s = await signIn(alice.cert);
      const confirm = await get(s, `/inscriptions/lot?decision=approve&id=${one.id}&id=${two.id}`);
      expect(confirm.status).toBe(200);
      expect(confirm.body).toContain('data-page="console-bulk"');
      expect(confirm.body).toContain(`${one.givenName} ${one.familyName}`);
      expect(confirm.body).toContain(`${two.givenName} ${two.familyName}`);
      expect(await statusOf(one.id)).toBe('pending');

      const users = await userCount();
      const done = await post(s, '/inscriptions/lot', { csrf: csrfOf(confirm.body), decision: 'approve', id: [one.id, two.id] });
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe('/inscriptions?ok=bulk&done=2&pending=0&failed=0');
      expect([await statusOf(one.id), await statusOf(two.id)]).toEqual(['approved', 'approved']);
      expect(await userCount()).toBe(users + 2);

      // Bulk reject without a reason: refused, nothing changed.
      const three = await registration();
      const refused = await post(s, '/inscriptions/lot', { csrf: csrfOf(confirm.body), decision: 'reject', id: [three.id], reason: '' });
      expect(refused.status).toBe(400);
      expect(refused.body).toContain('data-error-code="reason_required"');
      expect(await statusOf(three.id)).toBe('pending');
      // Without the token: refused.
      expect((await post(s, '/inscriptions/lot', { decision: 'approve', id: [three.id] })).status).toBe(403);
      expect(await statusOf(three.id)).toBe('pending');
    });

    it('certificate requests: approve issues the code and two mails; new code for an approved one; access requests granted', async () => {
      const user = await gw.user({ givenName: 'Paul' });
      const id = await certificateRequest(user, 'Cabinet — poste 2');
      const s = await signIn(bob.cert);
      const csrf = await tokenOf(s, `/demandes-certificats/${id}`);
      const approved = await post(s, `/demandes-certificats/${id}/approuver`, { csrf });
      expect(approved.status).toBe(303);
      expect(await gw.runtime.storage.certificateRequests.findById(id)).toMatchObject({ status: 'approved', decidedBy: bob.user.identifier });
      const mails = (await gw.runtime.storage.outbox.list()).filter((m) => m.recipient === user.email).map((m) => m.template);
      expect(mails.sort()).toEqual(['withdrawal.document', 'withdrawal.password']);

      const list = await get(s, '/demandes-certificats?status=approved');
      expect(list.body).toContain(`/demandes-certificats/${id}/nouveau-code`);
      const confirm = await get(s, `/demandes-certificats/${id}/nouveau-code`);
      expect(confirm.status).toBe(200);
      expect(confirm.body).toContain('Le code actuel cessera de fonctionner');
      const reissued = await post(s, `/demandes-certificats/${id}/nouveau-code`, { csrf: csrfOf(confirm.body) });
      expect(reissued.status).toBe(303);
      expect(reissued.headers.location).toBe('/demandes-certificats?status=approved&ok=code_reissued');
      const codes = await gw.runtime.storage.db.all<{ status: string }>('SELECT status FROM withdrawal_codes WHERE request_id = ? ORDER BY created_at', [id]);
      expect(codes.map((c) => c.status).sort()).toEqual(['superseded', 'unused']);

      const access = await accessRequest(user);
      const granted = await post(s, `/demandes-acces/${access}/approuver`, { csrf });
      expect(granted.status).toBe(303);
      expect(await gw.runtime.storage.accessRequests.findById(access)).toMatchObject({ status: 'granted' });
    });
  });

  describe('four-eyes rule', () => {
    beforeAll(() => {
      gw.config.console.fourEyes = { enabled: true, actions: ['registration.approve', 'registration.reject'] };
    });
    afterAll(() => {
      gw.config.console.fourEyes = { enabled: false, actions: [] };
    });

    it('one coordinator asks, the same one cannot confirm, a second one confirms: then it runs', async () => {
      const r = await registration();
      const a = await signIn(alice.cert);
      const asked = await post(a, `/inscriptions/${r.id}/approuver`, { csrf: await tokenOf(a, `/inscriptions/${r.id}`) });
      expect(asked.status).toBe(303);
      expect(asked.headers.location).toBe('/inscriptions?ok=pending_approval');
      expect(await statusOf(r.id)).toBe('pending');
      const approval = (await gw.runtime.storage.db.get<{ id: string; status: string }>("SELECT id, status FROM console_approvals WHERE target_id = ?", [r.id]))!;
      expect(approval.status).toBe('pending');

      // The item shows it is waiting; no other decision meanwhile.
      const detail = await get(a, `/inscriptions/${r.id}`);
      expect(detail.body).toContain(`data-approval-id="${approval.id}"`);
      expect(detail.body).not.toContain(`/inscriptions/${r.id}/approuver`);
      expect((await post(a, `/inscriptions/${r.id}/approuver`, { csrf: csrfOf(detail.body) })).status).toBe(409);

      // Alice cannot confirm her own request.
      const own = await get(a, `/double-validation/${approval.id}`);
      expect(own.body).not.toContain(`/double-validation/${approval.id}/confirmer`);
      const self = await post(a, `/double-validation/${approval.id}/confirmer`, { csrf: csrfOf(own.body) });
      expect(self.status).toBe(403);
      expect(self.body).toContain('data-error-code="four_eyes_same_coordinator"');
      expect(await statusOf(r.id)).toBe('pending');

      // Bob sees it on his dashboard and confirms.
      const b = await signIn(bob.cert);
      const dashboard = await get(b, '/');
      expect(countOf(dashboard.body, 'pendingSecondApprovals')).toBe(1);
      expect(dashboard.body).toContain(`/double-validation/${approval.id}`);
      const review = await get(b, `/double-validation/${approval.id}`);
      expect(review.body).toContain(`${r.givenName} ${r.familyName}`);
      const confirmed = await post(b, `/double-validation/${approval.id}/confirmer`, { csrf: csrfOf(review.body) });
      expect(confirmed.status).toBe(303);
      expect(confirmed.headers.location).toBe('/?ok=approval_confirmed');
      expect(await gw.runtime.storage.registrations.findById(r.id)).toMatchObject({ status: 'approved', decidedBy: bob.user.identifier });
      expect((await gw.runtime.storage.db.get<{ status: string; decided_by: string }>('SELECT status, decided_by FROM console_approvals WHERE id = ?', [approval.id]))).toMatchObject({
        status: 'done',
        decided_by: bob.user.identifier,
      });
      // Confirmed once: a second confirmation changes nothing.
      expect((await post(b, `/double-validation/${approval.id}/confirmer`, { csrf: csrfOf(review.body) })).status).toBe(409);

      const trail = (await gw.runtime.storage.audit.list({ subject: `registration:${r.id}` })).map((e) => `${e.action} ${e.outcome} ${e.actor} ${e.reason ?? ''}`.trim());
      expect(trail).toEqual(
        expect.arrayContaining([
          `four-eyes.request success ${alice.user.identifier}`,
          `four-eyes.confirm failure ${alice.user.identifier} four_eyes_same_coordinator`,
          `four-eyes.confirm success ${bob.user.identifier}`,
        ]),
      );
      const approvedBy = (await gw.runtime.storage.audit.list({ action: 'registration.approve' })).find((e) => (e.details as { registrationId?: string } | null)?.registrationId === r.id);
      expect(approvedBy?.actor).toBe(bob.user.identifier);
      const requested = (await gw.runtime.storage.audit.list({ action: 'four-eyes.request' })).find((e) => e.subject === `registration:${r.id}`);
      expect(requested).toMatchObject({ ip: '127.0.0.1', certificateSerial: alice.cert.serial });
    });

    it('a rejection waits with its reason; the asker can cancel it; bulk requests wait too', async () => {
      const r = await registration();
      const a = await signIn(alice.cert);
      const csrf = await tokenOf(a, `/inscriptions/${r.id}`);
      expect((await post(a, `/inscriptions/${r.id}/refuser`, { csrf, reason: 'Doublon' })).headers.location).toBe('/inscriptions?ok=pending_approval');
      const approval = (await gw.runtime.storage.db.get<{ id: string }>("SELECT id FROM console_approvals WHERE target_id = ? AND status = 'pending'", [r.id]))!;
      const b = await signIn(bob.cert);
      expect((await get(b, `/double-validation/${approval.id}`)).body).toContain('Doublon');
      const cancelled = await post(a, `/double-validation/${approval.id}/annuler`, { csrf });
      expect(cancelled.headers.location).toBe('/?ok=approval_cancelled');
      expect(await statusOf(r.id)).toBe('pending');
      expect((await gw.runtime.storage.audit.list({ action: 'four-eyes.cancel', subject: `registration:${r.id}` }))[0]?.actor).toBe(alice.user.identifier);

      const bulk = await post(a, '/inscriptions/lot', { csrf, decision: 'approve', id: [r.id] });
      expect(bulk.headers.location).toBe('/inscriptions?ok=bulk&done=0&pending=1&failed=0');
      expect(await statusOf(r.id)).toBe('pending');
    });

    it('the admin API: dashboard, actions under the rule (202), confirmation by the other coordinator', async () => {
      const r = await registration();
      const tokens = { alice: (await createToken(gw.runtime, { user: alice.user, name: 't' }, { name: 'test' })).token, bob: (await createToken(gw.runtime, { user: bob.user, name: 't' }, { name: 'test' })).token };
      const api = (who: 'alice' | 'bob', method: string, path: string, body?: unknown) =>
        gw.request({
          host: CONSOLE,
          method,
          path,
          cert: who === 'alice' ? alice.cert : bob.cert,
          headers: { accept: 'application/json', authorization: `Bearer ${tokens[who]}`, ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        });
      // The direct route cannot go around the rule.
      const direct = await api('alice', 'POST', `/api/v1/registrations/${r.id}/approve`, {});
      expect(direct.status).toBe(409);
      expect(JSON.parse(direct.body)).toMatchObject({ error: 'four_eyes_required' });
      expect(await statusOf(r.id)).toBe('pending');
      const asked = await api('alice', 'POST', '/api/v1/actions', { action: 'registration.approve', targetId: r.id });
      expect(asked.status).toBe(202);
      const { approval } = JSON.parse(asked.body) as { approval: { id: string; status: string } };
      expect(approval.status).toBe('pending');
      const dashboard = JSON.parse((await api('bob', 'GET', '/api/v1/dashboard')).body) as { counts: { pendingSecondApprovals: number }; pendingApprovals: Array<{ id: string; requestedBy: string }> };
      expect(dashboard.counts.pendingSecondApprovals).toBe(dashboard.pendingApprovals.length);
      expect(dashboard.pendingApprovals).toContainEqual(expect.objectContaining({ id: approval.id, requestedBy: alice.user.identifier }));
      expect((await api('alice', 'POST', `/api/v1/approvals/${approval.id}/confirm`, {})).status).toBe(403);
      const confirmed = await api('bob', 'POST', `/api/v1/approvals/${approval.id}/confirm`, {});
      expect(confirmed.status).toBe(200);
      expect(JSON.parse(confirmed.body)).toMatchObject({ approval: { status: 'done' }, result: { status: 'approved' } });
      expect(await statusOf(r.id)).toBe('approved');
    });
  });

  describe('TOTP second factor', () => {
    const secretOf = (body: string) => /data-testid="totp-secret">([A-Z2-7 ]+)</.exec(body)![1]!.replace(/ /g, '');
    const codeAt = (secret: string) => totpCode({ secret, epoch: Math.floor(gw.clock.now().getTime() / 1000) });

    it('enrolment, then every login asks for the code; wrong and replayed codes refused; a recovery code works once', async () => {
      const dave = await coordinator('Dave');
      const s = await signIn(dave.cert);
      expect((await get(s, '/securite')).body).toContain('data-second-factor="none"');

      const enrol = await get(s, '/second-facteur/activation');
      expect(enrol.status).toBe(200);
      expect(enrol.body).toContain('<svg');
      expect(enrol.body).toMatch(/otpauth:\/\/totp\/[^<]*secret=/);
      const secret = secretOf(enrol.body);
      expect(secret).toHaveLength(32);
      const stored = (await gw.runtime.storage.totp.find(dave.user.id))!;
      expect(stored.status).toBe('pending');
      expect(stored.secret).not.toContain(secret);
      // A reload shows the same seed.
      expect(secretOf((await get(s, '/second-facteur/activation')).body)).toBe(secret);

      const wrong = await post(s, '/second-facteur/activation', { csrf: csrfOf(enrol.body), code: '000000' === (await codeAt(secret)) ? '111111' : '000000' });
      expect(wrong.status).toBe(401);
      expect(wrong.body).toContain('data-error-code="invalid"');
      const enabled = await post(s, '/second-facteur/activation', { csrf: csrfOf(enrol.body), code: await codeAt(secret) });
      expect(enabled.status).toBe(200);
      const recovery = [...enabled.body.matchAll(/<li>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})<\/li>/g)].map((m) => m[1]!);
      expect(recovery).toHaveLength(10);
      expect((await get(s, '/')).status).toBe(200);

      // A new login: nothing before the code.
      gw.clock.advance(31_000);
      const second = await signIn(dave.cert);
      const blocked = await get(second, '/inscriptions');
      expect(blocked.status).toBe(303);
      expect(blocked.headers.location).toBe('/second-facteur?next=%2Finscriptions');
      expect((await post(second, '/inscriptions/lot', { decision: 'approve', id: 'x' })).status).toBe(303);
      const challenge = await get(second, '/second-facteur?next=%2Finscriptions');
      expect(challenge.status).toBe(200);
      expect(challenge.body).not.toContain('href="/inscriptions"'); // no navigation before the code
      const csrf = csrfOf(challenge.body);
      const bad = await post(second, '/second-facteur', { csrf, next: '/inscriptions', code: '12345' });
      expect(bad.status).toBe(401);
      expect(bad.body).toContain('Essais restants avant le verrouillage du compte\u00a0: 4.');
      const code = await codeAt(secret);
      const ok = await post(second, '/second-facteur', { csrf, next: '/inscriptions', code });
      expect(ok.status).toBe(303);
      expect(ok.headers.location).toBe('/inscriptions');
      expect((await get(second, '/inscriptions')).status).toBe(200);

      // The same code in the same window, from another session: refused.
      const third = await signIn(dave.cert);
      const replay = await post(third, '/second-facteur', { csrf: await tokenOf(third, '/second-facteur'), next: '/', code });
      expect(replay.status).toBe(401);
      expect((await get(third, '/')).status).toBe(303);

      // A recovery code, typed in capitals with spaces: once.
      const viaRecovery = await post(third, '/second-facteur', { csrf: await tokenOf(third, '/second-facteur'), next: '/', code: recovery[3]!.toUpperCase().replace(/-/g, ' ') });
      expect(viaRecovery.status).toBe(303);
      expect((await get(third, '/')).status).toBe(200);
      expect((await get(third, '/securite')).body).toContain('Codes de secours non utilisés\u00a0: 9.');
      const fourth = await signIn(dave.cert);
      const spent = await post(fourth, '/second-facteur', { csrf: await tokenOf(fourth, '/second-facteur'), next: '/', code: recovery[3]! });
      expect(spent.status).toBe(401);

      const trail = (await gw.runtime.storage.audit.list({ subject: dave.user.identifier })).map((e) => `${e.action} ${e.outcome}`);
      expect(trail).toEqual(expect.arrayContaining(['console.totp.enable success', 'console.totp.enable failure', 'console.totp.verify success', 'console.totp.verify failure']));
      expect(JSON.stringify(await gw.runtime.storage.audit.list({ subject: dave.user.identifier }))).not.toContain(secret);
    });

    it('wrong codes lock the account like wrong passwords', async () => {
      const erin = await coordinator('Erin');
      const s = await signIn(erin.cert);
      const enrol = await get(s, '/second-facteur/activation');
      const secret = secretOf(enrol.body);
      expect((await post(s, '/second-facteur/activation', { csrf: csrfOf(enrol.body), code: await codeAt(secret) })).status).toBe(200);
      gw.clock.advance(31_000);
      const next = await signIn(erin.cert);
      const csrf = await tokenOf(next, '/second-facteur');
      let last: Response | undefined;
      for (let i = 0; i < gw.config.lockout.maxFailures; i += 1) last = await post(next, '/second-facteur', { csrf, next: '/', code: 'aaaa-bbbb-cccc' });
      expect(last!.status).toBe(403);
      expect(errorCode(last!.body)).toBe('account_locked');
      expect((await gw.runtime.storage.users.findById(erin.user.id))!.status).toBe('locked');
    });

    it('required by the cell: enrolment is forced before anything else; the CLI resets a lost phone', async () => {
      gw.config.console.requireTotp = true;
      try {
        const frank = await coordinator('Frank');
        const s = await signIn(frank.cert);
        const blocked = await get(s, '/');
        expect(blocked.status).toBe(303);
        expect(blocked.headers.location).toBe('/second-facteur/activation?next=%2F');
        const enrol = await get(s, '/second-facteur/activation?next=%2F');
        expect(enrol.body).toContain('La cellule de coordination exige une double authentification');
        const secret = secretOf(enrol.body);
        expect((await post(s, '/second-facteur/activation', { csrf: csrfOf(enrol.body), next: '/', code: await codeAt(secret) })).status).toBe(200);
        expect((await get(s, '/')).status).toBe(200);

        // Lost phone: `passerelle console totp-reset frank…`, then enrolment again at the next login.
        const printed: unknown[] = [];
        const program = new Command().exitOverride();
        registerConsoleCommands(program, (fn) => fn(gw.runtime, { json: true, result: (data) => void printed.push(data) }));
        await program.parseAsync(['node', 'passerelle', 'console', 'totp-reset', frank.user.identifier]);
        expect(printed).toEqual([{ identifier: frank.user.identifier, removed: true }]);
        expect(await gw.runtime.storage.totp.find(frank.user.id)).toBeUndefined();
        expect((await gw.runtime.storage.audit.list({ action: 'console.totp.reset', subject: frank.user.identifier }))[0]?.actor).toMatch(/^cli:/);
        const again = await signIn(frank.cert);
        expect((await get(again, '/')).headers.location).toBe('/second-facteur/activation?next=%2F');
      } finally {
        gw.config.console.requireTotp = false;
      }
    });

    it('seeds are sealed to their key and their account', async () => {
      const hugo = await coordinator('Hugo');
      const actor = { name: hugo.user.identifier, ip: null, userId: hugo.user.id, certificateSerial: hugo.cert.serial };
      const sealedWith = (key: string) => new TotpService(gw.runtime, key);
      const a = sealedWith('key-material-number-one-0123456789abcdef');
      const { secret } = await a.beginEnrolment(hugo.user, actor);
      // Another key reads nothing: a pending enrolment starts over, an enabled one cannot be checked.
      const b = sealedWith('key-material-number-two-0123456789abcdef');
      const restarted = await b.beginEnrolment(hugo.user, actor);
      expect(restarted.secret).not.toBe(secret);
      expect(await b.confirmEnrolment(hugo.user, await codeAt(restarted.secret), actor)).toMatchObject({ ok: true });
      gw.clock.advance(31_000);
      await expect(a.verify(hugo.user, await codeAt(restarted.secret), actor)).rejects.toMatchObject({ code: 'totp_secret_unreadable' });
      // The same ciphertext under another account's id does not open either (associated data).
      const row = (await gw.runtime.storage.totp.find(hugo.user.id))!;
      const ivan = await coordinator('Ivan');
      await gw.runtime.storage.db.run("INSERT INTO console_totp (user_id, secret, status, last_step, created_at) VALUES (?, ?, 'enabled', 0, 0)", [ivan.user.id, row.secret]);
      await expect(b.verify(ivan.user, await codeAt(restarted.secret), { ...actor, userId: ivan.user.id })).rejects.toMatchObject({ code: 'totp_secret_unreadable' });
      expect((await b.verify(hugo.user, await codeAt(restarted.secret), actor)).ok).toBe(true);
    });

    it('disabling takes the password and a code', async () => {
      const gail = await coordinator('Gail');
      const s = await signIn(gail.cert);
      const enrol = await get(s, '/second-facteur/activation');
      const secret = secretOf(enrol.body);
      expect((await post(s, '/second-facteur/activation', { csrf: csrfOf(enrol.body), code: await codeAt(secret) })).status).toBe(200);
      const csrf = await tokenOf(s, '/securite/desactiver');
      gw.clock.advance(31_000);
      const wrongPassword = await post(s, '/securite/desactiver', { csrf, password: 'not it at all', code: await codeAt(secret) });
      expect(wrongPassword.status).toBe(401);
      expect(wrongPassword.body).toContain('data-error-code="wrong_password"');
      const disabled = await post(s, '/securite/desactiver', { csrf, password: PASSWORD, code: await codeAt(secret) });
      expect(disabled.status).toBe(303);
      expect(disabled.headers.location).toBe('/securite?ok=totp_disabled');
      const fresh = await signIn(gail.cert);
      expect((await get(fresh, '/')).status).toBe(200);
    });
  });
});
