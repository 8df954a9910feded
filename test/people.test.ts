/**
 * People (issue 4): search and status filters, keyset pages, the person page and its actions
 * behind confirmation pages, invitations with their reminders on the ManualClock, the admin API
 * and the CLI — over real TLS on the console host, with real storage (SQLite, and PostgreSQL
 * when DATABASE_URL is set).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { x509 } from '../src/pki/index.ts';
import { registerPeopleCommands } from '../src/cli/commands/people.ts';
import { verifyPassword } from '../src/authentication/password.ts';
import { createToken } from '../src/tokens/index.ts';
import { listApprovals } from '../src/console/index.ts';
import { searchKey, searchKeySql } from '../src/people/fold.ts';
import { PERSON_STATUSES, invitePerson, searchPeople, sendInvitationReminders, type PeoplePage, type PersonStatus } from '../src/people/index.ts';
import type { Establishment, OutboxMessage, User } from '../src/model/index.ts';
import { PASSWORD, csrfOf, errorCode, signIn, startTestGateway, type ClientCertificate, type Response, type TestGateway } from './helpers/gateway.ts';
import { databaseBackends } from './helpers/backends.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const CONSOLE = 'console.localhost';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const DAY = 86_400_000;
const TEST_ACTOR = { name: 'test', ip: null };

describe('search keys', () => {
  it('folds accents, case, hyphens and apostrophes, and migration 005 holds exactly searchKeySql()', () => {
    expect(searchKey("Hélène LEFÈVRE-d'Œuvre ÑÚÑEZ ß")).toBe('helene lefevre d oeuvre nunez ss');
    expect(searchKey('e\u0301mile')).toBe('emile');
    for (const dialect of ['sqlite', 'postgres']) {
      const sql = readFileSync(path.join(ROOT, `src/storage/migrations/${dialect}/005_people.sql`), 'utf8');
      expect(sql).toContain(searchKeySql("family_name || ' ' || given_name"));
      expect(sql).toContain(searchKeySql("given_name || ' ' || family_name"));
    }
  });
});

interface Session {
  cert: ClientCertificate;
  cookies: Map<string, string>;
}

describe.each(databaseBackends())('people on $name', ({ url }) => {
  let gw: TestGateway;
  let alice: { user: User; cert: ClientCertificate; token: string };
  let console_: Session;
  let dijon: Establishment;
  let counter = 0;

  beforeAll(async () => {
    gw = await startTestGateway({ databaseUrl: url });
    const { user } = await gw.runtime.accounts.createUser({ givenName: 'Alice', familyName: 'Coordo', email: 'alice@cellule.example.org', role: 'coordinator', password: PASSWORD }, TEST_ACTOR);
    const cert = await gw.personalCertificate(user);
    const { token } = await createToken(gw.runtime, { user, name: 'tests' }, TEST_ACTOR);
    alice = { user, cert, token };
    console_ = await consoleSignIn(cert);
    dijon = await gw.establishment('CHU de Dijon — Hôpital François-Mitterrand');
  });
  afterAll(async () => {
    await gw?.close();
  });

  async function consoleSignIn(cert: ClientCertificate): Promise<Session> {
    const cookies = new Map<string, string>();
    const form = await gw.request({ host: CONSOLE, path: '/.passerelle/login?next=/personnes', cert, cookies });
    expect(form.status).toBe(200);
    const body = new URLSearchParams({ csrf: csrfOf(form.body), password: PASSWORD, next: '/personnes' });
    const response = await gw.request({ host: CONSOLE, method: 'POST', path: '/.passerelle/login', cert, cookies, headers: FORM, body: body.toString() });
    expect(response.status).toBe(303);
    return { cert, cookies };
  }

  const get = (path: string, s: Session = console_) => gw.request({ host: CONSOLE, path, cert: s.cert, cookies: s.cookies });
  const post = (path: string, fields: Record<string, string>, s: Session = console_) =>
    gw.request({ host: CONSOLE, method: 'POST', path, cert: s.cert, cookies: s.cookies, headers: FORM, body: new URLSearchParams(fields).toString() });
  /** GET the confirmation page, then POST its form with its CSRF token (and `extra` fields). */
  async function confirmAndPost(path: string, extra: Record<string, string> = {}, s: Session = console_): Promise<Response> {
    const page = await get(path, s);
    expect(page.status).toBe(200);
    expect(page.body).toContain('data-page="console-people-confirm"');
    expect(page.body).toContain(`action="${path}"`);
    return post(path, { csrf: csrfOf(page.body), ...extra }, s);
  }

  async function api(method: string, path: string, body?: unknown): Promise<Response & { json: Record<string, unknown> }> {
    const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${alice.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await gw.request({ host: CONSOLE, method, path, cert: alice.cert, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { ...response, json: JSON.parse(response.body) as Record<string, unknown> };
  }

  async function person(givenName: string, familyName: string, o: { password?: string | null; rpps?: string; establishmentId?: string; email?: string } = {}): Promise<User> {
    counter += 1;
    const { user } = await gw.runtime.accounts.createUser(
      { givenName, familyName, email: o.email ?? `p${counter}@example.org`, password: o.password === undefined ? PASSWORD : o.password, rpps: o.rpps ?? null, establishmentId: o.establishmentId ?? null },
      TEST_ACTOR,
    );
    return user;
  }

  const search = (q: string, status?: PersonStatus, extra: { after?: string; before?: string; limit?: number } = {}) => searchPeople(gw.runtime, { q, status, ...extra });
  const identifiers = (page: PeoplePage) => page.people.map((p) => p.identifier);
  const reload = async (user: User) => (await gw.runtime.storage.users.findById(user.id))!;
  const mailsTo = async (email: string, template?: string): Promise<OutboxMessage[]> =>
    (await gw.runtime.storage.outbox.list(undefined, 10_000)).filter((m) => m.recipient === email && (!template || m.template === template)).sort((a, b) => Number(a.createdAt) - Number(b.createdAt));
  const setExpiry = (user: User, at: number) => gw.runtime.storage.db.run('UPDATE users SET provisional_expires_at = ? WHERE id = ?', [at, user.id]);

  describe('search', () => {
    let helene: User;
    let jeanPierre: User;
    let nadia: User;
    let other: User;

    beforeAll(async () => {
      helene = await person('Hélène', 'Quéméneur', { rpps: '10101010101', email: 'h.quemeneur@chu-dijon.example.fr', establishmentId: dijon.id });
      jeanPierre = await person('Jean-Pierre', 'Quemener', { rpps: '10101099999' });
      nadia = await person('Nadia', "N'Guessan-Quéré", { establishmentId: dijon.id });
      other = await person('Quentin', 'Abalain');
    });

    it('finds by family-name prefix, accents and case aside, in (family, given) order', async () => {
      expect(identifiers(await search('quem'))).toEqual([jeanPierre.identifier, helene.identifier]);
      expect(identifiers(await search('QUÉMÉ'))).toEqual([jeanPierre.identifier, helene.identifier]);
      expect(identifiers(await search('quéméneur'))).toEqual([helene.identifier]);
      expect(identifiers(await search('n guessan'))).toEqual([nadia.identifier]);
      expect(identifiers(await search("N'Guessan-Qu"))).toEqual([nadia.identifier]);
    });

    it('finds by given name then family name, and by family then given', async () => {
      expect(identifiers(await search('jean pierre quem'))).toEqual([jeanPierre.identifier]);
      expect(identifiers(await search('Jean-Pierre'))).toContain(jeanPierre.identifier);
      expect(identifiers(await search('quemeneur hel'))).toEqual([helene.identifier]);
      // "Quentin" is a given name: found by it, but "abalain quentin" order works as well.
      expect(identifiers(await search('quentin'))).toEqual([other.identifier]);
      expect(identifiers(await search('abalain q'))).toEqual([other.identifier]);
    });

    it('finds by identifier, e-mail, RPPS and establishment word', async () => {
      expect(identifiers(await search(helene.identifier.toUpperCase()))).toEqual([helene.identifier]);
      expect(identifiers(await search('h.quemeneur@chu'))).toEqual([helene.identifier]);
      expect(identifiers(await search('10101010101'))).toEqual([helene.identifier]);
      expect(identifiers(await search('1010 10'))).toEqual([jeanPierre.identifier, helene.identifier]);
      const atDijon = await search('dijon');
      expect(identifiers(atDijon).sort()).toEqual([helene.identifier, nadia.identifier].sort());
      expect(atDijon.people.find((p) => p.identifier === helene.identifier)?.establishment).toEqual({ id: dijon.id, name: dijon.name });
      expect(identifiers(await search('mitterrand'))).toHaveLength(2);
      expect((await search('zzz-nobody')).people).toEqual([]);
      expect((await search('zzz-nobody')).total).toBe(0);
    });

    it('shows the list page with the search, the filters and the people found', async () => {
      const page = await get('/personnes?q=quem');
      expect(page.status).toBe(200);
      expect(page.body).toContain('data-page="console-people"');
      expect(page.body).toContain('value="quem"');
      expect(page.body).toContain(`href="/personnes/${helene.id}"`);
      expect(page.body).toContain('2 personnes');
      expect(page.body).toContain('href="/personnes?q=quem&amp;status=locked"');
      const bad = await get('/personnes?after=not-a-cursor');
      expect(bad.status).toBe(400);
      expect(bad.body).toContain('data-error-code="invalid_cursor"');
    });
  });

  describe('status filters', () => {
    const fixtures = new Map<PersonStatus, User>();

    beforeAll(async () => {
      fixtures.set('active', await person('Active', 'Zéphyrin'));
      const locked = await person('Locked', 'Zéphyrin');
      await gw.runtime.storage.users.setStatus(locked.id, 'locked', gw.clock.now().getTime());
      fixtures.set('locked', locked);
      const deactivated = await person('Deactivated', 'Zéphyrin');
      await gw.runtime.storage.users.setStatus(deactivated.id, 'deactivated', gw.clock.now().getTime());
      fixtures.set('deactivated', deactivated);
      fixtures.set('provisional', await person('Provisional', 'Zéphyrin', { password: null }));
      const sent = await invitePerson(gw.runtime, { givenName: 'Sent', familyName: 'Zéphyrin', email: 'sent.zephyrin@example.org' }, TEST_ACTOR);
      if (!sent.ok) throw new Error('invitation refused');
      fixtures.set('invitation_sent', (await gw.runtime.storage.users.findById(sent.value.id))!);
      const expired = await invitePerson(gw.runtime, { givenName: 'Expired', familyName: 'Zéphyrin', email: 'expired.zephyrin@example.org' }, TEST_ACTOR);
      if (!expired.ok) throw new Error('invitation refused');
      const expiredUser = (await gw.runtime.storage.users.findById(expired.value.id))!;
      await setExpiry(expiredUser, gw.clock.now().getTime() - 1);
      fixtures.set('invitation_expired', expiredUser);
    });

    it.each(PERSON_STATUSES)('%s returns exactly the people in that status', async (status) => {
      const page = await search('zephyrin', status);
      expect(identifiers(page)).toEqual([fixtures.get(status)!.identifier]);
      expect(page.people[0]!.status).toBe(status);
      expect(page.total).toBe(1);
      const html = await get(`/personnes?q=zephyrin&status=${status}`);
      expect(html.body).toContain(`data-person="${fixtures.get(status)!.identifier}"`);
      expect(html.body.match(/data-person="/g)).toHaveLength(1);
    });

    it('without a filter, everyone with their derived status', async () => {
      const page = await search('zephyrin');
      expect(page.total).toBe(6);
      expect(new Set(page.people.map((p) => p.status))).toEqual(new Set(PERSON_STATUSES));
    });

    it('an expired provisional password that was not an invitation is "invitation expired" too; a reset one of an activated account is "provisional"', async () => {
      const approved = await person('Approved', 'Zéphyrinou', { password: null });
      await setExpiry(approved, gw.clock.now().getTime() - DAY);
      expect(identifiers(await search('zephyrinou', 'invitation_expired'))).toEqual([approved.identifier]);
      const invited = fixtures.get('invitation_sent')!;
      // Activated, then made provisional again (an unlock by the cell mails a provisional password): no longer an invitation.
      await gw.runtime.storage.db.run("UPDATE users SET terms_accepted_at = ?, status = 'provisional' WHERE id = ?", [gw.clock.now().getTime(), invited.id]);
      expect(identifiers(await search('zephyrin', 'invitation_sent'))).toEqual([]);
      expect(identifiers(await search('zephyrin', 'provisional')).sort()).toEqual([fixtures.get('provisional')!.identifier, invited.identifier].sort());
      await gw.runtime.storage.db.run('UPDATE users SET terms_accepted_at = NULL WHERE id = ?', [invited.id]);
    });

    it('refuses an unknown status', async () => {
      await expect(searchPeople(gw.runtime, { status: 'sleeping' })).rejects.toMatchObject({ code: 'invalid_status' });
    });
  });

  describe('keyset pagination', () => {
    const created: User[] = [];
    beforeAll(async () => {
      const given = ['Zoé', 'Adèle', 'Émile', 'Bruno', 'Chloé', 'Yves', 'Denis', 'Xavier', 'Édith', 'Fanny', 'Gaëlle', 'Hugo'];
      // Homonyms too: same sort key, ordered by id.
      for (const name of [...given, 'Adèle', 'Adèle', 'Hugo', 'Zoé', 'Ines', 'Jules', 'Karim', 'Léa', 'Marc', 'Noé', 'Olga']) created.push(await person(name, 'Paginé'));
    });

    it('walks every page forward then backward with no duplicate and no gap', async () => {
      const expected = (await gw.runtime.storage.db.all<{ identifier: string }>("SELECT identifier FROM users WHERE search_name >= 'pagine ' AND search_name < 'pagine!' ORDER BY search_name, id")).map((r) => r.identifier);
      expect(expected).toHaveLength(created.length);
      const forward: string[][] = [];
      let page = await search('pagine', undefined, { limit: 5 });
      expect(page.previous).toBeNull();
      expect(page.total).toBe(created.length);
      forward.push(identifiers(page));
      while (page.next) {
        page = await search('pagine', undefined, { limit: 5, after: page.next });
        forward.push(identifiers(page));
      }
      expect(forward.map((p) => p.length)).toEqual([5, 5, 5, 5, 3]);
      expect(forward.flat()).toEqual(expected);

      const backward: string[][] = [identifiers(page)];
      while (page.previous) {
        page = await search('pagine', undefined, { limit: 5, before: page.previous });
        backward.unshift(identifiers(page));
      }
      expect(backward).toEqual(forward);
      expect(page.previous).toBeNull();
    });

    it('an account created between two pages neither shifts nor repeats rows', async () => {
      const first = await search('pagine', undefined, { limit: 10 });
      await person('Aaron', 'Paginé');
      const second = await search('pagine', undefined, { limit: 10, after: first.next! });
      expect(identifiers(second).some((id) => identifiers(first).includes(id))).toBe(false);
      // Aaron sorts first: the fresh first 12 are Aaron, the 10 of page one, then page two's first.
      expect(identifiers(second)[0]).toBe((await search('pagine', undefined, { limit: 12 })).people[11]!.identifier);
    });

    it('the list page links the next and previous pages (50 a page)', async () => {
      // 60 accounts straight into storage (no argon2 for each): the list only reads them.
      const now = gw.clock.now().getTime();
      await gw.runtime.storage.transaction(async (repos) => {
        for (let i = 0; i < 60; i += 1) {
          const n = String(i).padStart(2, '0');
          await repos.users.insert({ id: `pl-${n}`, identifier: `liste.pagelien-${n}`, givenName: `Liste${n}`, familyName: 'Pagelien', email: `pl${n}@example.org`, establishmentId: null, role: 'clinician', status: 'active', passwordHash: 'x', createdAt: now });
        }
      });
      const rows = (body: string) => [...body.matchAll(/data-person="([^"]+)"/g)].map((m) => m[1]);
      const one = await get('/personnes?q=pagelien');
      expect(one.body).toContain('60 personnes');
      expect(rows(one.body)).toEqual(Array.from({ length: 50 }, (_, i) => `liste.pagelien-${String(i).padStart(2, '0')}`));
      expect(one.body).not.toContain('rel="prev"');
      const next = /href="([^"]+)" rel="next"/.exec(one.body)![1]!.replace(/&amp;/g, '&');
      expect(next).toMatch(/^\/personnes\?q=pagelien&after=/);
      const two = await get(next);
      expect(rows(two.body)).toEqual(Array.from({ length: 10 }, (_, i) => `liste.pagelien-${50 + i}`));
      expect(two.body).not.toContain('rel="next"');
      const previous = /href="([^"]+)" rel="prev"/.exec(two.body)![1]!.replace(/&amp;/g, '&');
      expect(rows((await get(previous)).body)).toEqual(rows(one.body));
    });
  });

  describe('the person page', () => {
    it('shows identity, certificates, requests, grants, legacy identifiers, logins and history', async () => {
      const user = await person('Inès', 'Fichedepage', { rpps: '10000000017', establishmentId: dijon.id });
      await gw.runtime.accounts.addGrant(user.id, 'opendrp', TEST_ACTOR);
      const cert = await gw.personalCertificate(user);
      const { response } = await signIn(gw, cert);
      expect(response.status).toBe(303);
      await gw.runtime.storage.db.run('INSERT INTO legacy_mappings (id, user_id, application_id, legacy_username, status, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
        `lm-${user.id}`,
        user.id,
        'opendrp',
        'IFICHE',
        'mapped',
        gw.clock.now().getTime(),
      ]);
      const page = await get(`/personnes/${user.id}`);
      expect(page.status).toBe(200);
      expect(page.body).toContain('data-page="console-person"');
      expect(page.body).toContain(user.identifier);
      expect(page.body).toContain('10000000017');
      expect(page.body).toContain(dijon.name);
      expect(page.body).toContain(`data-serial="${cert.serial}"`);
      expect(page.body).toContain(`href="/personnes/${user.id}/certificats/${cert.serial}/revoquer"`);
      expect(page.body).toContain('data-application="opendrp"');
      expect(page.body).toContain(`href="/personnes/${user.id}/acces/opendrp/retirer"`);
      expect(page.body).toContain('IFICHE');
      expect(page.body).toMatch(/<section aria-labelledby="logins-title">[\s\S]*data-action="gateway.login"[\s\S]*<\/section>/);
      expect(page.body).toMatch(/<section aria-labelledby="history-title">[\s\S]*data-action="user.create"[\s\S]*<section aria-labelledby="certificates-title">/);
      // A locked account offers unlocking; an active one does not.
      expect(page.body).not.toContain(`/personnes/${user.id}/deverrouiller`);
      expect(page.body).toContain(`/personnes/${user.id}/desactiver`);
      expect((await get('/personnes/no-such-person')).status).toBe(404);
    });

    it('edits identity and function: audited, searchable at once, identifier unchanged; bad input changes nothing', async () => {
      const user = await person('Marie', 'Avantedition');
      const page = await get(`/personnes/${user.id}`);
      const csrf = csrfOf(page.body);
      const bad = await post(`/personnes/${user.id}/identite`, { csrf, givenName: 'Marie', familyName: '', rpps: '123', establishmentId: 'nowhere' });
      expect(bad.status).toBe(400);
      expect(bad.body).toContain('role="alert"');
      expect(bad.body).toContain('aria-invalid="true"');
      expect((await reload(user)).familyName).toBe('Avantedition');

      const saved = await post(`/personnes/${user.id}/identite`, { csrf, givenName: 'Marie-Ange', familyName: 'Aprèsédition', profession: 'Pneumologue', rpps: '10003 000 005', establishmentId: dijon.id });
      expect(saved.status).toBe(303);
      expect(saved.headers.location).toBe(`/personnes/${user.id}?ok=identity_updated`);
      const after = await reload(user);
      expect(after).toMatchObject({ givenName: 'Marie-Ange', familyName: 'Aprèsédition', profession: 'Pneumologue', rpps: '10003000005', establishmentId: dijon.id, identifier: user.identifier });
      expect(identifiers(await search('apresedition marie ange'))).toEqual([user.identifier]);
      expect(identifiers(await search('avantedition'))).toEqual([]);
      const [event] = await gw.runtime.storage.audit.list({ action: 'person.update', subject: user.identifier });
      expect(event).toMatchObject({ outcome: 'success', actor: alice.user.identifier, ip: '127.0.0.1', certificateSerial: alice.cert.serial });
      expect(event!.details).toMatchObject({ changes: { familyName: { from: 'Avantedition', to: 'Aprèsédition' }, rpps: { from: null, to: '10003000005' } } });
      expect((await get(saved.headers.location!)).body).toContain('Identité et fonction enregistrées.');
    });
  });

  describe('actions', () => {
    it('unlock: a confirmation page, then a new provisional password mailed; the person is provisional', async () => {
      const user = await person('Luc', 'Verrouillé');
      for (let i = 0; i < gw.config.lockout.maxFailures; i += 1) await gw.runtime.storage.users.recordFailure(user.id, gw.config.lockout.maxFailures, gw.clock.now().getTime());
      expect((await reload(user)).status).toBe('locked');
      expect((await get(`/personnes/${user.id}`)).body).toContain(`href="/personnes/${user.id}/deverrouiller"`);
      // The confirmation page changes nothing.
      expect((await get(`/personnes/${user.id}/deverrouiller`)).status).toBe(200);
      expect((await reload(user)).status).toBe('locked');

      const done = await confirmAndPost(`/personnes/${user.id}/deverrouiller`);
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe(`/personnes/${user.id}?ok=unlocked`);
      const after = await reload(user);
      expect(after).toMatchObject({ status: 'provisional', failedLogins: 0, lockedAt: null });
      expect(after.provisionalExpiresAt).toBe(gw.clock.now().getTime() + gw.config.accounts.provisionalPasswordDays * DAY);
      const [mail] = await mailsTo(user.email, 'account.unlocked');
      const payload = JSON.parse(mail!.payload) as { identifier: string; provisionalPassword: string; expiresAt: number };
      expect(payload).toMatchObject({ identifier: user.identifier, expiresAt: after.provisionalExpiresAt });
      expect(await verifyPassword(after.passwordHash, payload.provisionalPassword)).toBe(true);
      expect(await verifyPassword(after.passwordHash, PASSWORD)).toBe(false);
      const [event] = await gw.runtime.storage.audit.list({ action: 'user.unlock', subject: user.identifier });
      expect(event).toMatchObject({ outcome: 'success', actor: alice.user.identifier, certificateSerial: alice.cert.serial });

      // Again: refused, explained on the person page, no second mail.
      const again = await confirmAndPost(`/personnes/${user.id}/deverrouiller`);
      expect(again.headers.location).toBe(`/personnes/${user.id}?error=not_locked`);
      expect((await get(again.headers.location!)).body).toContain('data-error-code="not_locked"');
      expect(await mailsTo(user.email, 'account.unlocked')).toHaveLength(1);
    });

    it('deactivate: the gateway refuses the open certificate session (account_deactivated); reactivate lets it in again', async () => {
      const user = await person('Paul', 'Désactivé');
      await gw.runtime.accounts.addGrant(user.id, 'opendrp', TEST_ACTOR);
      const cert = await gw.personalCertificate(user);
      const { cookies } = await signIn(gw, cert);
      expect((await gw.request({ path: '/api/whoami', cert, cookies, headers: { accept: 'application/json' } })).status).toBe(200);

      const done = await confirmAndPost(`/personnes/${user.id}/desactiver`);
      expect(done.headers.location).toBe(`/personnes/${user.id}?ok=deactivated`);
      expect((await reload(user)).status).toBe('deactivated');
      const refused = await gw.request({ path: '/', cert, cookies });
      expect(refused.status).toBe(403);
      expect(errorCode(refused.body)).toBe('account_deactivated');
      expect(identifiers(await search('desactive', 'deactivated'))).toContain(user.identifier);

      const back = await confirmAndPost(`/personnes/${user.id}/reactiver`);
      expect(back.headers.location).toBe(`/personnes/${user.id}?ok=reactivated`);
      expect((await reload(user)).status).toBe('active');
      expect((await gw.request({ path: '/api/whoami', cert, cookies, headers: { accept: 'application/json' } })).status).toBe(200);
      const actions = (await gw.runtime.storage.audit.list({ subject: user.identifier })).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['user.deactivate', 'user.reactivate']));
    });

    it('reactivating an account that never chose its password brings it back to provisional', async () => {
      const user = await person('Rose', 'Jamaisactivée', { password: null });
      expect((await confirmAndPost(`/personnes/${user.id}/desactiver`)).status).toBe(303);
      expect((await confirmAndPost(`/personnes/${user.id}/reactiver`)).status).toBe(303);
      expect((await reload(user)).status).toBe('provisional');
    });

    it('a coordinator cannot deactivate their own account', async () => {
      const refused = await confirmAndPost(`/personnes/${alice.user.id}/desactiver`);
      expect(refused.headers.location).toBe(`/personnes/${alice.user.id}?error=cannot_deactivate_self`);
      expect((await reload(alice.user)).status).toBe('active');
    });

    it('revoke a certificate with an RFC 5280 reason: the gateway refuses it and the CRL lists it', async () => {
      const user = await person('Rémi', 'Révoqué');
      await gw.runtime.accounts.addGrant(user.id, 'opendrp', TEST_ACTOR);
      const cert = await gw.personalCertificate(user);
      const path = `/personnes/${user.id}/certificats/${cert.serial}/revoquer`;
      const page = await get(path);
      expect(page.body).toContain('<option value="keyCompromise"');
      expect(page.body).not.toContain('value="certificateHold"');
      const bad = await post(path, { csrf: csrfOf(page.body), reason: 'certificateHold' });
      expect(bad.headers.location).toBe(`/personnes/${user.id}?error=invalid_reason`);
      expect((await gw.runtime.storage.certificates.findBySerial(cert.serial))!.status).toBe('valid');

      const done = await post(path, { csrf: csrfOf(page.body), reason: 'keyCompromise' });
      expect(done.headers.location).toBe(`/personnes/${user.id}?ok=certificate_revoked`);
      expect(await gw.runtime.storage.certificates.findBySerial(cert.serial)).toMatchObject({ status: 'revoked', revocationReason: 'keyCompromise' });
      const crl = new x509.X509Crl(await fetchBinary('/crl/passerelle.crl'));
      expect(crl.findRevoked(cert.serial)?.reason).toBe(x509.X509CrlReason.keyCompromise);
      expect((await gw.request({ path: '/', cert })).status).toBe(495);
      // Another person's certificate is not found from this page.
      const stranger = await gw.personalCertificate(await person('Autre', 'Personne'));
      expect((await get(`/personnes/${user.id}/certificats/${stranger.serial}/revoquer`)).status).toBe(404);
    });

    it('revoke an application grant: the gateway refuses the application', async () => {
      const user = await person('Greta', 'Accès');
      await gw.runtime.accounts.addGrant(user.id, 'opendrp', TEST_ACTOR);
      const cert = await gw.personalCertificate(user);
      const { cookies } = await signIn(gw, cert);
      const done = await confirmAndPost(`/personnes/${user.id}/acces/opendrp/retirer`);
      expect(done.headers.location).toBe(`/personnes/${user.id}?ok=grant_revoked`);
      expect(await gw.runtime.storage.grants.isGranted(user.id, 'opendrp')).toBe(false);
      const refused = await gw.request({ path: '/', cert, cookies });
      expect(refused.status).toBe(403);
      expect(errorCode(refused.body)).toBe('no_access');
      expect((await get(`/personnes/${user.id}/acces/opendrp/retirer`)).status).toBe(404);
      const [event] = await gw.runtime.storage.audit.list({ action: 'grant.revoke', subject: user.identifier });
      expect(event).toMatchObject({ applicationId: 'opendrp', actor: alice.user.identifier, certificateSerial: alice.cert.serial });
    });

    it('grant access from the person’s page (issue 11, point 9): the form offers the applications not yet open', async () => {
      const user = await person('Gaspard', 'Accordé');
      const page = await get(`/personnes/${user.id}`);
      expect(page.body).toContain(`action="/personnes/${user.id}/acces"`);
      expect(page.body).toMatch(/<select id="grant-application" name="application"[^>]*><option value="opendrp">OpenDRP<\/option>/);
      const done = await post(`/personnes/${user.id}/acces`, { csrf: csrfOf(page.body), application: 'opendrp' });
      expect(done.headers.location).toBe(`/personnes/${user.id}?ok=grant_added`);
      expect(await gw.runtime.storage.grants.isGranted(user.id, 'opendrp')).toBe(true);
      expect((await get(`/personnes/${user.id}`)).body).not.toContain('id="grant-application"');
      const unknown = await post(`/personnes/${user.id}/acces`, { csrf: csrfOf(page.body), application: 'nope' });
      expect(unknown.headers.location).toBe(`/personnes/${user.id}?error=application_not_found`);
      const [event] = await gw.runtime.storage.audit.list({ action: 'grant.add', subject: user.identifier });
      expect(event).toMatchObject({ applicationId: 'opendrp', actor: alice.user.identifier });
    });

    it('a new withdrawal code for an approved request not yet withdrawn (PDF and password mails)', async () => {
      const user = await person('Carla', 'Nouveaucode');
      const requestId = `cr-${user.id}`;
      await gw.runtime.storage.certificateRequests.insert({ id: requestId, kind: 'personal', userId: user.id, establishmentId: null, label: 'Cabinet — accueil', requestedBy: user.identifier, createdAt: gw.clock.now().getTime() });
      const pending = await get(`/personnes/${user.id}`);
      expect(pending.body).not.toContain(`/demandes/${requestId}/nouveau-code`);
      await gw.runtime.storage.certificateRequests.approve(requestId, 'test', gw.clock.now().getTime());
      expect((await get(`/personnes/${user.id}`)).body).toContain(`href="/personnes/${user.id}/demandes/${requestId}/nouveau-code"`);
      const done = await confirmAndPost(`/personnes/${user.id}/demandes/${requestId}/nouveau-code`);
      expect(done.headers.location).toBe(`/personnes/${user.id}?ok=code_reissued`);
      expect((await mailsTo(user.email)).map((m) => m.template)).toEqual(['withdrawal.document', 'withdrawal.password']);
      const [code] = await gw.runtime.storage.withdrawalCodes.listForRequestIds([requestId]);
      expect(code).toMatchObject({ status: 'unused' });
    });

    it('under the four-eyes rule, a new withdrawal code waits for a second coordinator', async () => {
      const user = await person('Quentin', 'Quatreyeux');
      const requestId = `cr-${user.id}`;
      await gw.runtime.storage.certificateRequests.insert({ id: requestId, kind: 'personal', userId: user.id, establishmentId: null, label: 'Poste 2', requestedBy: user.identifier, createdAt: gw.clock.now().getTime() });
      await gw.runtime.storage.certificateRequests.approve(requestId, 'test', gw.clock.now().getTime());
      const before = gw.config.console.fourEyes;
      gw.config.console.fourEyes = { enabled: true, actions: ['certificate-request.new-code'] };
      try {
        expect((await get(`/personnes/${user.id}`)).body).toContain('Demander un nouveau code de retrait');
        const done = await confirmAndPost(`/personnes/${user.id}/demandes/${requestId}/nouveau-code`);
        expect(done.headers.location).toBe(`/personnes/${user.id}?ok=code_pending_approval`);
        expect(await mailsTo(user.email)).toEqual([]);
        const open = await listApprovals(gw.runtime, 'pending');
        expect(open.filter((a) => a.targetId === requestId).map((a) => [a.action, a.requestedBy])).toEqual([['certificate-request.new-code', alice.user.identifier]]);
      } finally {
        gw.config.console.fourEyes = before;
      }
    });

    it('every action needs the CSRF token', async () => {
      const user = await person('Ivan', 'Sansjeton');
      const refused = await post(`/personnes/${user.id}/desactiver`, { csrf: 'forged' });
      expect(refused.status).toBe(403);
      expect((await post(`/personnes/${user.id}/desactiver`, {})).status).toBe(403);
      expect((await post(`/personnes/${user.id}/identite`, { givenName: 'X', familyName: 'Y' })).status).toBe(403);
      expect((await post('/personnes/inviter', { givenName: 'X', familyName: 'Y', email: 'x@example.org' })).status).toBe(403);
      expect((await reload(user)).status).toBe('active');
      expect(await gw.runtime.storage.users.findByIdentifier('x.y')).toBeUndefined();
    });

    it('only coordinators reach the people pages', async () => {
      const user = await person('Célia', 'Clinicienne');
      const clinician = { cert: await gw.personalCertificate(user), cookies: new Map<string, string>() };
      const page = await get('/personnes', clinician);
      expect(page.status).toBe(403);
      expect(errorCode(page.body)).toBe('not_coordinator');
      const csrf = csrfOf((await get(`/personnes/${alice.user.id}`)).body);
      expect((await post(`/personnes/${user.id}/desactiver`, { csrf }, clinician)).status).toBe(403);
      expect((await reload(user)).status).toBe('active');
    });
  });

  describe('invitations', () => {
    it('creates a provisional account and mails the invitation; 14 days; reminders at days 3, 7 and 12; then expired', async () => {
      const form = await get('/personnes/inviter');
      expect(form.status).toBe(200);
      const csrf = csrfOf(form.body);
      const refused = await post('/personnes/inviter', { csrf, givenName: 'Yann', familyName: '', email: 'not-an-email' });
      expect(refused.status).toBe(400);
      expect(refused.body.match(/aria-invalid="true"/g)?.length).toBe(2);

      const start = gw.clock.now().getTime();
      const created = await post('/personnes/inviter', { csrf, givenName: 'Yann', familyName: 'Invité', email: 'yann.invite@example.org', establishmentId: dijon.id, role: 'clinician', lang: 'fr' });
      expect(created.status).toBe(303);
      const user = (await gw.runtime.storage.users.findByIdentifier('yann.invite'))!;
      expect(created.headers.location).toBe(`/personnes/${user.id}?ok=invited`);
      expect(user).toMatchObject({ status: 'provisional', establishmentId: dijon.id, provisionalExpiresAt: start + 14 * DAY });
      const row = (await gw.runtime.storage.people.findById(user.id))!;
      expect([Number(row.invitedAt), Number(row.invitationReminders)]).toEqual([start, 0]);
      const [invitation] = await mailsTo(user.email, 'invitation');
      const first = JSON.parse(invitation!.payload) as { provisionalPassword: string; expiresAt: number };
      expect(first.expiresAt).toBe(start + 14 * DAY);
      expect(await verifyPassword(user.passwordHash, first.provisionalPassword)).toBe(true);
      expect(identifiers(await search('yann invite', 'invitation_sent'))).toEqual([user.identifier]);
      const [event] = await gw.runtime.storage.audit.list({ action: 'person.invite', subject: user.identifier });
      expect(event).toMatchObject({ actor: alice.user.identifier, certificateSerial: alice.cert.serial });

      // The same address again: refused, explained, no second account.
      const twice = await post('/personnes/inviter', { csrf, givenName: 'Yannick', familyName: 'Autre', email: 'YANN.INVITE@example.org' });
      expect(twice.status).toBe(409);
      expect(twice.body).toContain('data-error-code="email_in_use"');

      const reminders = async () => (await mailsTo(user.email, 'invitation')).length - 1;
      const at = (days: number) => gw.clock.set(new Date(start + days * DAY));
      try {
        at(2.9);
        await sendInvitationReminders(gw.runtime);
        expect(await reminders()).toBe(0);
        at(3);
        await sendInvitationReminders(gw.runtime);
        expect(await reminders()).toBe(1);
        await sendInvitationReminders(gw.runtime);
        expect(await reminders()).toBe(1);
        at(6.9);
        await sendInvitationReminders(gw.runtime);
        expect(await reminders()).toBe(1);
        at(7);
        await sendInvitationReminders(gw.runtime);
        expect(await reminders()).toBe(2);
        at(12);
        await sendInvitationReminders(gw.runtime);
        expect(await reminders()).toBe(3);
        at(13.9);
        await sendInvitationReminders(gw.runtime);
        expect(await reminders()).toBe(3);
        // Each reminder carries a new password (the latest mail works) and keeps the expiry.
        const mails = await mailsTo(user.email, 'invitation');
        const last = JSON.parse(mails[3]!.payload) as { provisionalPassword: string; expiresAt: number; reminder: number };
        expect(mails.map((m) => (JSON.parse(m.payload) as { reminder: number }).reminder)).toEqual([0, 1, 2, 3]);
        expect(last.expiresAt).toBe(start + 14 * DAY);
        const current = await reload(user);
        expect(await verifyPassword(current.passwordHash, last.provisionalPassword)).toBe(true);
        expect(await verifyPassword(current.passwordHash, first.provisionalPassword)).toBe(false);
        expect(current.provisionalExpiresAt).toBe(start + 14 * DAY);
        const reminderEvents = await gw.runtime.storage.audit.list({ action: 'person.invitation.reminder', subject: user.identifier });
        expect(reminderEvents.map((e) => e.details?.reminder)).toEqual([3, 2, 1]);

        at(14);
        expect(identifiers(await search('yann invite', 'invitation_expired'))).toEqual([user.identifier]);
        expect(identifiers(await search('yann invite', 'invitation_sent'))).toEqual([]);
        await sendInvitationReminders(gw.runtime);
        expect(await reminders()).toBe(3);

        // Resent: a new password, 14 new days, reminders from zero. (Two weeks later: a new console session.)
        const resent = await confirmAndPost(`/personnes/${user.id}/renvoyer`, {}, await consoleSignIn(alice.cert));
        expect(resent.headers.location).toBe(`/personnes/${user.id}?ok=invitation_resent`);
        const again = (await gw.runtime.storage.people.findById(user.id))!;
        expect([Number(again.invitedAt), Number(again.invitationReminders), Number(again.provisionalExpiresAt)]).toEqual([start + 14 * DAY, 0, start + 28 * DAY]);
        expect(identifiers(await search('yann invite', 'invitation_sent'))).toEqual([user.identifier]);
        at(17);
        await sendInvitationReminders(gw.runtime);
        expect(await reminders()).toBe(5);
      } finally {
        gw.clock.set(new Date(start));
      }
    });

    it('a reminder job that missed several days sends one reminder, counted as the latest due', async () => {
      const created = await invitePerson(gw.runtime, { givenName: 'Rattrapage', familyName: 'Relance', email: 'rattrapage@example.org' }, TEST_ACTOR);
      if (!created.ok) throw new Error('refused');
      const start = gw.clock.now().getTime();
      try {
        gw.clock.set(new Date(start + 8 * DAY));
        expect(await sendInvitationReminders(gw.runtime)).toBeGreaterThanOrEqual(1);
        const row = (await gw.runtime.storage.people.findById(created.value.id))!;
        expect(Number(row.invitationReminders)).toBe(2);
        expect(await mailsTo('rattrapage@example.org', 'invitation')).toHaveLength(2);
        // Activated before day 12: no more reminders.
        await gw.runtime.storage.users.activate(created.value.id, { givenName: 'Rattrapage', familyName: 'Relance', profession: null, rpps: null }, start + 9 * DAY);
        gw.clock.set(new Date(start + 12 * DAY));
        await sendInvitationReminders(gw.runtime);
        expect(await mailsTo('rattrapage@example.org', 'invitation')).toHaveLength(2);
      } finally {
        gw.clock.set(new Date(start));
      }
    });

    it('resending the activation mail of a provisional, non-invited account: new password, provisional validity', async () => {
      const user = await person('Bastien', 'Renvoi', { password: null });
      const done = await confirmAndPost(`/personnes/${user.id}/renvoyer`);
      expect(done.headers.location).toBe(`/personnes/${user.id}?ok=activation_resent`);
      const after = await reload(user);
      expect(after.provisionalExpiresAt).toBe(gw.clock.now().getTime() + gw.config.accounts.provisionalPasswordDays * DAY);
      const [mail] = await mailsTo(user.email, 'registration.approved');
      expect(await verifyPassword(after.passwordHash, (JSON.parse(mail!.payload) as { provisionalPassword: string }).provisionalPassword)).toBe(true);
      const active = await person('Alain', 'Déjàactif');
      expect((await confirmAndPost(`/personnes/${active.id}/renvoyer`)).headers.location).toBe(`/personnes/${active.id}?error=not_provisional`);
    });
  });

  describe('admin API', () => {
    it('searches, shows, edits, invites and acts, with token and certificate', async () => {
      const user = await person('Apolline', 'Apiquery', { rpps: '10200300400' });
      const found = await api('GET', '/api/v1/people?q=apiquery&status=active&limit=10');
      expect(found.status).toBe(200);
      expect(found.json).toMatchObject({ total: 1, totalExact: true, next: null, previous: null });
      expect((found.json.people as Array<{ identifier: string }>).map((p) => p.identifier)).toEqual([user.identifier]);
      expect((await api('GET', '/api/v1/people?status=sleeping')).json.error).toBe('invalid_status');
      expect((await api('GET', '/api/v1/people?colour=blue')).json.error).toBe('invalid_query');

      const shown = await api('GET', `/api/v1/people/${user.identifier}`);
      expect(shown.json).toMatchObject({ id: user.id, status: 'active', rpps: '10200300400', grants: [], certificates: [] });

      const patched = await api('PATCH', `/api/v1/people/${user.id}`, { profession: 'Kinésithérapeute', rpps: null });
      expect(patched.status).toBe(200);
      expect(patched.json.changed).toEqual(['profession', 'rpps']);
      expect(await reload(user)).toMatchObject({ profession: 'Kinésithérapeute', rpps: null, givenName: 'Apolline' });
      expect((await api('PATCH', `/api/v1/people/${user.id}`, { rpps: '12' })).json).toMatchObject({ error: 'invalid_field', message: 'rpps: invalid_rpps' });

      const invited = await api('POST', '/api/v1/people', { givenName: 'Théo', familyName: 'Apinvité', email: 'theo.apinvite@example.org', role: 'clinician' });
      expect(invited.status).toBe(201);
      expect(invited.json).toMatchObject({ identifier: 'theo.apinvite', status: 'provisional' });
      expect((await api('POST', '/api/v1/people', { givenName: 'Théo', familyName: 'Apinvité', email: 'theo.apinvite@example.org' })).json.error).toBe('email_in_use');
      expect((await api('POST', '/api/v1/people', { givenName: 'Théo', familyName: '', email: 'x' })).status).toBe(400);

      const resent = await api('POST', `/api/v1/people/${invited.json.id as string}/resend-activation`, {});
      expect(resent.json).toMatchObject({ identifier: 'theo.apinvite', invitation: true, mailed: true });

      expect((await api('POST', `/api/v1/people/${user.id}/deactivate`, {})).json).toMatchObject({ status: 'deactivated' });
      expect((await api('POST', `/api/v1/people/${user.id}/deactivate`, {})).status).toBe(409);
      expect((await api('POST', `/api/v1/people/${user.id}/reactivate`, {})).json).toMatchObject({ status: 'active' });
      await gw.runtime.storage.users.setStatus(user.id, 'locked', gw.clock.now().getTime());
      const unlocked = await api('POST', `/api/v1/people/${user.id}/unlock`, {});
      expect(unlocked.json).toMatchObject({ identifier: user.identifier, status: 'provisional', mailed: true });
      expect(await mailsTo(user.email, 'account.unlocked')).toHaveLength(1);

      await gw.runtime.accounts.addGrant(user.id, 'opendrp', TEST_ACTOR);
      expect((await api('DELETE', `/api/v1/people/${user.id}/grants/opendrp`)).json).toMatchObject({ status: 'revoked' });
      expect((await api('DELETE', `/api/v1/people/${user.id}/grants/opendrp`)).json.error).toBe('not_granted');
      expect((await api('GET', '/api/v1/people/nobody-at-all')).status).toBe(404);
    });

    it('needs the token and the certificate together', async () => {
      const noToken = await gw.request({ host: CONSOLE, path: '/api/v1/people', cert: alice.cert, headers: { accept: 'application/json' } });
      expect(noToken.status).toBe(401);
      const noCert = await gw.request({ host: CONSOLE, path: '/api/v1/people', headers: { accept: 'application/json', authorization: `Bearer ${alice.token}` } });
      expect(noCert.status).toBe(403);
    });
  });

  describe('CLI', () => {
    it('people search, show, invite, resend-activation and send-reminders', async () => {
      const user = await person('Clément', 'Clisearch');
      const printed: unknown[] = [];
      const run = async (...args: string[]) => {
        const program = new Command().exitOverride();
        registerPeopleCommands(program, (fn) => fn(gw.runtime, { json: true, result: (data) => void printed.push(data) }));
        await program.parseAsync(['node', 'passerelle', 'people', ...args]);
        return printed.pop() as Record<string, unknown>;
      };
      const found = await run('search', 'clisearch', '--status', 'active');
      expect((found.people as Array<{ identifier: string }>).map((p) => p.identifier)).toEqual([user.identifier]);
      expect(((await run('search', 'clisearch', '--status', 'locked')).people as unknown[]).length).toBe(0);
      expect(await run('show', user.identifier)).toMatchObject({ id: user.id, status: 'active' });
      const invited = await run('invite', '--given-name', 'Cloé', '--family-name', 'Cliinvite', '--email', 'cloe.cliinvite@example.org', '--establishment', dijon.id);
      expect(invited).toMatchObject({ identifier: 'cloe.cliinvite', status: 'provisional' });
      expect((await gw.runtime.storage.audit.list({ action: 'person.invite', subject: 'cloe.cliinvite' }))[0]?.actor).toMatch(/^cli:/);
      expect(await run('resend-activation', 'cloe.cliinvite')).toMatchObject({ invitation: true });
      expect(await run('send-reminders')).toEqual({ sent: 0 });
    });
  });

  /** The CRL as bytes, from the public listener. */
  async function fetchBinary(path: string): Promise<ArrayBuffer> {
    const https = await import('node:https');
    return new Promise((resolve, reject) => {
      https
        .get({ host: '127.0.0.1', port: gw.listeners.publicPort, path, servername: 'localhost', headers: { host: 'localhost' }, ca: gw.runtime.pki.chainPem }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const bytes = Buffer.concat(chunks);
            resolve(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
          });
        })
        .on('error', reject);
    });
  }
});

