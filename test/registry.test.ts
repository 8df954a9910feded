/**
 * The console's registry over real TLS on the gateway listener (console host): establishments,
 * certificates (revocation → new CRL, refused at the gateway), applications, audit trail with
 * CSV export, mail outbox, API tokens — as pages (session + CSRF + confirmation steps) and as
 * the admin JSON API (bearer token + coordinator certificate). SQLite, and PostgreSQL when
 * DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { createToken } from '../src/tokens/index.ts';
import { X509Crl } from '../src/pki/x509.ts';
import type { Establishment, User } from '../src/model/index.ts';
import { csvCell, parisMidnight } from '../src/registry/index.ts';
import { APP_HOST, PASSWORD, csrfOf, errorCode, startTestGateway, type ClientCertificate, type Response, type TestGateway } from './helpers/gateway.ts';
import { databaseBackends } from './helpers/backends.ts';
import { parseCsv } from './helpers/csv.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const CONSOLE = 'console.localhost';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

interface Coordinator {
  user: User;
  cert: ClientCertificate;
  cookies: Map<string, string>;
  csrf: string;
  token: string;
}

/** The audit rows of one action, newest first. */
async function auditOf(gw: TestGateway, action: string) {
  return gw.runtime.storage.audit.list({ action, limit: 50 });
}

describe('CSV cells (RFC 4180, formula-safe)', () => {
  it('quotes what needs it and defuses formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(null)).toBe('');
    expect(csvCell(42)).toBe('42');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+33 6')).toBe("'+33 6");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
  });

  it('a day in a filter is a day in Paris, summer and winter', () => {
    expect(new Date(parisMidnight(2026, 1, 15)).toISOString()).toBe('2026-01-14T23:00:00.000Z');
    expect(new Date(parisMidnight(2026, 7, 1)).toISOString()).toBe('2026-06-30T22:00:00.000Z');
    // The day DST starts has 23 hours.
    expect(parisMidnight(2026, 3, 30) - parisMidnight(2026, 3, 29)).toBe(23 * 3_600_000);
  });
});

describe.each(databaseBackends())('console registry on $name', ({ url }) => {
  let gw: TestGateway;
  let alice: Coordinator;
  let bob: Coordinator;
  let counter = 0;

  async function coordinator(givenName: string): Promise<Coordinator> {
    const { user } = await gw.runtime.accounts.createUser({ givenName, familyName: 'Registre', email: `${givenName.toLowerCase()}@cellule.example.org`, role: 'coordinator', password: PASSWORD }, { name: 'test', ip: null });
    const cert = await gw.personalCertificate(user);
    const cookies = new Map<string, string>();
    const form = await gw.request({ host: CONSOLE, path: '/.passerelle/login?next=/etablissements', cert, cookies });
    expect(form.status).toBe(200);
    const login = await gw.request({
      host: CONSOLE,
      method: 'POST',
      path: '/.passerelle/login',
      cert,
      cookies,
      headers: FORM,
      body: new URLSearchParams({ csrf: csrfOf(form.body), password: PASSWORD, next: '/etablissements' }).toString(),
    });
    expect(login.status).toBe(303);
    const page = await gw.request({ host: CONSOLE, path: '/etablissements', cert, cookies });
    expect(page.status).toBe(200);
    const { token } = await createToken(gw.runtime, { user, name: 'tests' }, { name: 'test', ip: null });
    return { user, cert, cookies, csrf: csrfOf(page.body), token };
  }

  beforeAll(async () => {
    gw = await startTestGateway({ databaseUrl: url });
    alice = await coordinator('Alice');
    bob = await coordinator('Bob');
  });
  afterAll(async () => {
    await gw?.close();
  });

  const get = (path: string, who: Coordinator = alice) => gw.request({ host: CONSOLE, path, cert: who.cert, cookies: who.cookies });
  const post = (path: string, form: Record<string, string>, who: Coordinator = alice, csrf: string | null = who.csrf) =>
    gw.request({ host: CONSOLE, method: 'POST', path, cert: who.cert, cookies: who.cookies, headers: FORM, body: new URLSearchParams({ ...(csrf !== null ? { csrf } : {}), ...form }).toString() });

  /** A JSON answer, read by the assertions that follow. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Json = any;
  const ids = (items: unknown): string[] => (items as Array<{ id: string }>).map((x) => x.id);

  async function api(method: string, path: string, body?: unknown, who: Coordinator = alice): Promise<Response & { json: Json }> {
    const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${who.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await gw.request({ host: CONSOLE, method, path: `/api/v1${path}`, cert: who.cert, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = response.headers['content-type']?.startsWith('application/json') ? (JSON.parse(response.body) as unknown) : null;
    return { ...response, json };
  }

  async function establishment(name = 'Centre de test', finess: string | null = null): Promise<Establishment> {
    return gw.runtime.accounts.createEstablishment({ name, finess, referentEmail: `referent${(counter += 1)}@etablissement.example.org` }, { name: 'test', ip: null });
  }

  /** A certificate row with chosen dates (no real key: the list and its filters only read the table). */
  async function recordCertificate(o: { userId?: string | null; establishmentId?: string | null; notAfter: number; createdAt: number; label?: string }) {
    const serial = randomUUID().replace(/-/g, '');
    await gw.runtime.storage.certificates.insert({
      serial,
      fingerprintSha256: randomUUID().replace(/-/g, '') + randomUUID().replace(/-/g, ''),
      kind: o.userId ? 'personal' : 'collective',
      userId: o.userId ?? null,
      establishmentId: o.userId ? null : (o.establishmentId ?? null),
      label: o.label ?? 'Poste enregistré',
      subject: 'CN=test',
      notBefore: o.createdAt,
      notAfter: o.notAfter,
      pem: '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n',
      createdAt: o.createdAt,
    });
    return serial;
  }

  describe('establishments', () => {
    it('lists and searches by name or FINESS, accents and case aside', async () => {
      const eloi = await establishment('Hôpital Saint-Éloi', '2A0000012');
      await establishment('Clinique des Lilas');
      const all = await get('/etablissements');
      expect(all.status).toBe(200);
      expect(all.body).toContain('data-page="console-establishments"');
      expect(all.body).toContain('Hôpital Saint-Éloi');
      expect(all.body).toContain('Clinique des Lilas');
      const found = await get(`/etablissements?q=${encodeURIComponent('hopital ELOI')}`);
      expect(found.body).toContain(`data-id="${eloi.id}"`);
      expect(found.body).not.toContain('Clinique des Lilas');
      expect((await get('/etablissements?q=2a0000012')).body).toContain(`data-id="${eloi.id}"`);
      expect((await get('/etablissements?q=introuvable')).body).not.toContain('data-testid="establishments"');
    });

    it('creates with a validated FINESS; bad input changes nothing and says why', async () => {
      const before = (await gw.runtime.storage.establishments.list()).length;
      const bad = await post('/etablissements', { name: 'Centre X', finess: '12345', referentEmail: 'pas-une-adresse' });
      expect(bad.status).toBe(400);
      expect(bad.body).toContain('id="f-finess-error"');
      expect(bad.body).toContain('id="f-referentEmail-error"');
      expect(bad.body).toContain('value="Centre X"');
      expect((await gw.runtime.storage.establishments.list()).length).toBe(before);

      const created = await post('/etablissements', { name: '  Maison de santé  des Tilleuls ', finess: '210780581', referentEmail: 'accueil@tilleuls.example.org' });
      expect(created.status).toBe(303);
      const id = /\/etablissements\/([0-9a-f-]+)\?ok=establishment_created/.exec(created.headers.location ?? '')?.[1];
      expect(id).toBeDefined();
      expect(await gw.runtime.storage.establishments.findById(id!)).toMatchObject({ name: 'Maison de santé des Tilleuls', finess: '210780581', referentEmail: 'accueil@tilleuls.example.org' });
      const page = await get(created.headers.location!);
      expect(page.body).toContain('Établissement créé.');
      const [event] = await auditOf(gw, 'establishment.create');
      expect(event).toMatchObject({ outcome: 'success', actor: alice.user.identifier, subject: `establishment:${id}` });

      const duplicate = await post('/etablissements', { name: 'Autre', finess: '210780581', referentEmail: 'a@b.example.org' });
      expect(duplicate.status).toBe(400);
      expect(duplicate.body).toContain('Un autre établissement a déjà ce numéro FINESS');
    });

    it('edits name, FINESS and referent: audited with before and after, coordinator and certificate', async () => {
      const e = await establishment('Centre à renommer');
      const form = await get(`/etablissements/${e.id}/modifier`);
      expect(form.status).toBe(200);
      expect(form.body).toContain('value="Centre à renommer"');
      const saved = await post(`/etablissements/${e.id}/modifier`, { name: 'Centre renommé', finess: '2b1234567', referentEmail: 'nouveau@centre.example.org' });
      expect(saved.status).toBe(303);
      expect(saved.headers.location).toBe(`/etablissements/${e.id}?ok=establishment_updated`);
      expect(await gw.runtime.storage.establishments.findById(e.id)).toMatchObject({ name: 'Centre renommé', finess: '2B1234567', referentEmail: 'nouveau@centre.example.org' });
      const [event] = await auditOf(gw, 'establishment.update');
      expect(event).toMatchObject({ outcome: 'success', actor: alice.user.identifier, certificateSerial: alice.cert.serial, ip: '127.0.0.1', subject: `establishment:${e.id}` });
      expect(event!.details).toMatchObject({ changed: ['name', 'finess', 'referentEmail'], before: { name: 'Centre à renommer', finess: null }, after: { name: 'Centre renommé', finess: '2B1234567' } });

      const invalid = await post(`/etablissements/${e.id}/modifier`, { name: '', finess: '', referentEmail: 'nouveau@centre.example.org' });
      expect(invalid.status).toBe(400);
      expect(invalid.body).toContain('id="f-name-error"');
      expect((await gw.runtime.storage.establishments.findById(e.id))?.name).toBe('Centre renommé');
    });

    it('refuses a POST without the CSRF token: nothing changes, the refusal is audited', async () => {
      const e = await establishment('Centre protégé');
      const refused = await post(`/etablissements/${e.id}/modifier`, { name: 'Piraté', referentEmail: 'x@y.example.org' }, alice, null);
      expect(refused.status).toBe(403);
      expect(errorCode(refused.body)).toBe('invalid_csrf_token');
      const wrong = await post(`/etablissements/${e.id}/modifier`, { name: 'Piraté', referentEmail: 'x@y.example.org' }, alice, 'not-the-token');
      expect(wrong.status).toBe(403);
      // Bob's token is valid in Bob's session only.
      const crossed = await post(`/etablissements/${e.id}/modifier`, { name: 'Piraté', referentEmail: 'x@y.example.org' }, alice, bob.csrf);
      expect(crossed.status).toBe(403);
      expect((await gw.runtime.storage.establishments.findById(e.id))?.name).toBe('Centre protégé');
      expect((await auditOf(gw, 'console.csrf'))[0]).toMatchObject({ outcome: 'failure', actor: alice.user.identifier, certificateSerial: alice.cert.serial });
    });

    it('a page per establishment: people, collective certificates; a collective request approved at once mails the referent', async () => {
      const e = await establishment('Centre collectif');
      const member = await gw.user({ establishmentId: e.id, familyName: 'Membre' });
      const workstation = await gw.collectiveCertificate(e, 'Accueil — poste 1');
      const page = await get(`/etablissements/${e.id}`);
      expect(page.status).toBe(200);
      expect(page.body).toContain(`href="/personnes/${member.id}"`);
      expect(page.body).toContain(`data-serial="${workstation.serial}"`);
      expect(page.body).not.toContain(`href="/etablissements/${e.id}/supprimer"`);

      const empty = await post(`/etablissements/${e.id}/certificats`, { label: '  ', approve: 'yes' });
      expect(empty.status).toBe(400);
      expect(empty.body).toContain('id="f-label-error"');
      expect(await gw.runtime.storage.certificateRequests.list({ establishmentId: e.id })).toHaveLength(0);

      const outboxBefore = await gw.runtime.storage.outbox.list(undefined, 1000);
      const issued = await post(`/etablissements/${e.id}/certificats`, { label: 'Salle de soins — poste 2', approve: 'yes' });
      expect(issued.status).toBe(303);
      expect(issued.headers.location).toBe(`/etablissements/${e.id}?ok=collective_issued`);
      const [request] = await gw.runtime.storage.certificateRequests.list({ establishmentId: e.id });
      expect(request).toMatchObject({ kind: 'collective', status: 'approved', label: 'Salle de soins — poste 2', requestedBy: alice.user.identifier, userId: null });
      const mails = (await gw.runtime.storage.outbox.list(undefined, 1000)).filter((m) => !outboxBefore.some((b) => b.id === m.id));
      expect(mails.length).toBe(2);
      expect(new Set(mails.map((m) => m.recipient))).toEqual(new Set([e.referentEmail]));
      const after = await get(issued.headers.location!);
      expect(after.body).toContain('Demande approuvée');
      expect(after.body).toContain(`data-id="${request!.id}"`);
      expect(after.body).toMatch(/Code envoyé au référent pour [^<]+@esante\.localhost/);

      const pending = await post(`/etablissements/${e.id}/certificats`, { label: 'Poste en attente' });
      expect(pending.headers.location).toBe(`/etablissements/${e.id}?ok=collective_requested`);
      expect((await gw.runtime.storage.certificateRequests.list({ establishmentId: e.id, status: 'pending' })).map((r) => r.label)).toEqual(['Poste en attente']);
    });

    it('deletes only an establishment nothing refers to, after a confirmation', async () => {
      const inUse = await establishment('Centre occupé');
      await gw.user({ establishmentId: inUse.id });
      expect((await get(`/etablissements/${inUse.id}/supprimer`)).status).toBe(303);
      const refused = await post(`/etablissements/${inUse.id}/supprimer`, {});
      expect(refused.status).toBe(409);
      expect(errorCode(refused.body)).toBe('establishment_in_use');
      expect(await gw.runtime.storage.establishments.findById(inUse.id)).toBeDefined();

      const mistake = await establishment('Créé par erreur');
      expect((await get(`/etablissements/${mistake.id}`)).body).toContain(`href="/etablissements/${mistake.id}/supprimer"`);
      const confirm = await get(`/etablissements/${mistake.id}/supprimer`);
      expect(confirm.status).toBe(200);
      expect(confirm.body).toContain('data-page="console-establishment-delete"');
      expect(await gw.runtime.storage.establishments.findById(mistake.id)).toBeDefined();
      const deleted = await post(`/etablissements/${mistake.id}/supprimer`, {});
      expect(deleted.status).toBe(303);
      expect(await gw.runtime.storage.establishments.findById(mistake.id)).toBeUndefined();
      expect((await auditOf(gw, 'establishment.delete'))[0]).toMatchObject({ outcome: 'success', actor: alice.user.identifier, subject: `establishment:${mistake.id}` });
    });

    it('unknown establishment → 404 page', async () => {
      const missing = await get('/etablissements/00000000-0000-0000-0000-000000000000');
      expect(missing.status).toBe(404);
      expect(errorCode(missing.body)).toBe('establishment_not_found');
    });
  });

  describe('certificates', () => {
    it('filters by kind, state, establishment, search, and expiring soon (soonest first)', async () => {
      const e = await establishment('Centre des filtres');
      const holder = await gw.user({ establishmentId: e.id, familyName: 'Filtre' });
      const now = gw.clock.now().getTime();
      const day = 86_400_000;
      const expired = await recordCertificate({ userId: holder.id, createdAt: now - 400 * day, notAfter: now - day, label: 'Ancien poste' });
      const soon = await recordCertificate({ establishmentId: e.id, createdAt: now - 300 * day, notAfter: now + 10 * day, label: 'Poste bientôt' });
      const sooner = await recordCertificate({ userId: holder.id, createdAt: now - 200 * day, notAfter: now + 5 * day, label: 'Poste très bientôt' });
      const later = await recordCertificate({ establishmentId: e.id, createdAt: now - 100 * day, notAfter: now + 300 * day, label: 'Poste tranquille' });

      const rows = (body: string) => [...body.matchAll(/<tr data-serial="([0-9a-f]+)"/g)].map((m) => m[1]);
      const ofCentre = rows((await get(`/certificats?establishment=${e.id}`)).body);
      expect(new Set(ofCentre)).toEqual(new Set([expired, soon, sooner, later]));
      expect(ofCentre).toEqual([later, sooner, soon, expired]); // newest first
      expect(rows((await get(`/certificats?establishment=${e.id}&kind=collective`)).body)).toEqual([later, soon]);
      expect(rows((await get(`/certificats?establishment=${e.id}&status=expired`)).body)).toEqual([expired]);
      expect(rows((await get(`/certificats?establishment=${e.id}&expiringWithinDays=30`)).body)).toEqual([sooner, soon]);
      expect(rows((await get(`/certificats?q=${encodeURIComponent('bientôt')}`)).body)).toEqual([sooner, soon]);
      expect(rows((await get(`/certificats?q=${holder.identifier}&establishment=${e.id}`)).body)).toEqual([sooner, expired]);
      expect(rows((await get(`/certificats?q=${soon.slice(0, 12).match(/.{2}/g)!.join(':')}`)).body)).toEqual([soon]);

      const invalid = await get('/certificats?kind=everything&expiringWithinDays=-3');
      expect(invalid.status).toBe(400);
      expect(invalid.body).toContain('id="f-kind-error"');
    });

    it('keyset pagination walks every certificate once, in order, even when new ones arrive', async () => {
      const e = await establishment('Centre paginé');
      const base = gw.clock.now().getTime() - 50 * 86_400_000;
      const serials: string[] = [];
      for (let i = 0; i < 7; i += 1) serials.push(await recordCertificate({ establishmentId: e.id, createdAt: base + (i % 3) * 1000, notAfter: base + 900 * 86_400_000 }));
      const seen: string[] = [];
      let path: string | null = `/certificats?establishment=${e.id}&limit=3`;
      let pages = 0;
      while (path) {
        const page = await get(path);
        expect(page.status).toBe(200);
        seen.push(...[...page.body.matchAll(/<tr data-serial="([0-9a-f]+)"/g)].map((m) => m[1]!));
        const next = /<a href="([^"]+)" rel="next"/.exec(page.body)?.[1]?.replace(/&amp;/g, '&');
        if (pages === 0) await recordCertificate({ establishmentId: e.id, createdAt: base + 10_000, notAfter: base + 900 * 86_400_000 }); // newer than page 1: never shown later
        path = next ?? null;
        pages += 1;
      }
      expect(pages).toBe(3);
      expect(seen).toHaveLength(7);
      expect(new Set(seen)).toEqual(new Set(serials));
      const expected = [...serials].sort((a, b) => {
        const ka = base + (serials.indexOf(a) % 3) * 1000;
        const kb = base + (serials.indexOf(b) % 3) * 1000;
        return kb - ka || (b < a ? -1 : b > a ? 1 : 0);
      });
      expect(seen).toEqual(expected);
      expect((await get('/certificats?after=%%%')).status).toBe(400);
    });

    it('revokes after a confirmation with an RFC 5280 reason: a new CRL lists it and the gateway refuses it', async () => {
      const holder = await gw.user({ familyName: 'Revoque' });
      const cert = await gw.personalCertificate(holder);
      expect((await gw.request({ path: '/', cert })).status).toBe(303); // to the login form: the certificate is accepted
      const crlBefore = (await gw.runtime.storage.crls.latest())?.number ?? 0;

      const detail = await get(`/certificats/${cert.serial}`);
      expect(detail.status).toBe(200);
      expect(detail.body).toContain(`href="/certificats/${cert.serial}/revoquer"`);
      const confirm = await get(`/certificats/${cert.serial}/revoquer`);
      expect(confirm.status).toBe(200);
      expect(confirm.body).toContain('data-page="console-certificate-revoke"');
      for (const reason of ['unspecified', 'keyCompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'privilegeWithdrawn']) expect(confirm.body).toContain(`value="${reason}"`);
      expect(confirm.body).not.toContain('value="certificateHold"');
      expect((await gw.runtime.storage.certificates.findBySerial(cert.serial))?.status).toBe('valid');

      const noReason = await post(`/certificats/${cert.serial}/revoquer`, {});
      expect(noReason.status).toBe(400);
      expect(noReason.body).toContain('id="f-reason-error"');
      const hold = await post(`/certificats/${cert.serial}/revoquer`, { reason: 'certificateHold' });
      expect(hold.status).toBe(400);
      const noCsrf = await post(`/certificats/${cert.serial}/revoquer`, { reason: 'keyCompromise' }, alice, null);
      expect(noCsrf.status).toBe(403);
      expect((await gw.runtime.storage.certificates.findBySerial(cert.serial))?.status).toBe('valid');
      expect((await gw.runtime.storage.crls.latest())?.number ?? 0).toBe(crlBefore);

      const revoked = await post(`/certificats/${cert.serial}/revoquer`, { reason: 'keyCompromise' });
      expect(revoked.status).toBe(303);
      expect(revoked.headers.location).toBe(`/certificats/${cert.serial}?ok=certificate_revoked`);
      expect(await gw.runtime.storage.certificates.findBySerial(cert.serial)).toMatchObject({ status: 'revoked', revocationReason: 'keyCompromise' });
      const crl = (await gw.runtime.storage.crls.latest())!;
      expect(crl.number).toBe(crlBefore + 1);
      const parsed = new X509Crl(new Uint8Array(crl.der));
      expect(parsed.entries.map((entry) => entry.serialNumber.toLowerCase())).toContain(cert.serial.replace(/^0+/, ''));
      const shown = await get(revoked.headers.location!);
      expect(shown.body).toContain('Certificat révoqué');
      expect(shown.body).toContain(`data-crl-number="${crl.number}"`);
      expect(shown.body).toContain(`n° ${crl.number}`);
      expect(shown.body).not.toContain(`href="/certificats/${cert.serial}/revoquer"`);
      expect((await auditOf(gw, 'certificate.revoke'))[0]).toMatchObject({ outcome: 'success', reason: 'keyCompromise', actor: alice.user.identifier, certificateSerial: cert.serial });

      // The gateway refuses it at once.
      const refused = await gw.request({ path: '/', cert });
      expect(refused.status).toBe(495);
      expect(errorCode(refused.body)).toBe('certificate_revoked');
      // And the public CRL is the new one.
      const published = await gw.request({ port: 'public', host: 'localhost', path: '/crl/passerelle.crl' });
      expect(published.status).toBe(200);

      const again = await post(`/certificats/${cert.serial}/revoquer`, { reason: 'superseded' });
      expect(again.status).toBe(409);
      expect(errorCode(again.body)).toBe('already_revoked');
      expect((await gw.runtime.storage.crls.latest())!.number).toBe(crlBefore + 1);
    });
  });

  describe('applications', () => {
    it('the configured catalogue, who has access and the pending requests', async () => {
      const holder = await gw.user({ familyName: 'Detenteur' });
      const waiting = await gw.user({ familyName: 'Attente', grant: false });
      await gw.runtime.storage.accessRequests.insert({ id: randomUUID(), userId: waiting.id, applicationId: 'opendrp', createdAt: gw.clock.now().getTime() });
      const list = await get('/applications');
      expect(list.status).toBe(200);
      expect(list.body).toContain('href="/applications/opendrp"');
      expect(list.body).toContain(`https://${APP_HOST}`);
      const page = await get('/applications/opendrp');
      expect(page.status).toBe(200);
      expect(page.body).toContain(`data-identifier="${holder.identifier}"`);
      expect(page.body).not.toContain(`data-identifier="${waiting.identifier}"`);
      expect(page.body).toMatch(new RegExp(`data-testid="pending-access"[\\s\\S]*${waiting.identifier}`));
      expect((await get('/applications/unknown')).status).toBe(404);
    });
  });

  describe('audit trail', () => {
    it('filters by person, action (or prefix), application, IP, outcome and dates; pages back in time', async () => {
      const marker = `auditee.${randomUUID().slice(0, 8)}`;
      const audit = gw.runtime.auditor;
      for (let i = 0; i < 5; i += 1) await audit.record({ action: 'test.event', outcome: 'success', subject: marker, ip: '203.0.113.7', applicationId: 'opendrp', details: { i } });
      await audit.record({ action: 'test.other', outcome: 'failure', reason: 'nope', actor: marker, ip: '198.51.100.1' });
      const ids = (body: string) => [...body.matchAll(/<tr data-id="(\d+)" data-action="([^"]+)"/g)].map((m) => m[2]);

      expect(ids((await get(`/journal?person=${marker}`)).body)).toEqual(['test.other', 'test.event', 'test.event', 'test.event', 'test.event', 'test.event']);
      expect(ids((await get(`/journal?person=${marker}&action=test.other`)).body)).toEqual(['test.other']);
      expect(ids((await get(`/journal?person=${marker}&action=test.*`)).body)).toHaveLength(6);
      expect(ids((await get(`/journal?person=${marker}&ip=198.51.100.1`)).body)).toEqual(['test.other']);
      expect(ids((await get(`/journal?person=${marker}&application=opendrp`)).body)).toHaveLength(5);
      expect(ids((await get(`/journal?person=${marker}&outcome=failure`)).body)).toEqual(['test.other']);
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(gw.clock.now());
      expect(ids((await get(`/journal?person=${marker}&from=${today}&to=${today}`)).body)).toHaveLength(6);
      expect(ids((await get(`/journal?person=${marker}&to=2000-01-01`)).body)).toHaveLength(0);

      const first = await get(`/journal?person=${marker}&limit=4`);
      expect(ids(first.body)).toHaveLength(4);
      const next = /<a href="([^"]+)" rel="next"/.exec(first.body)?.[1]?.replace(/&amp;/g, '&');
      expect(next).toMatch(/before=\d+/);
      const second = await get(next!);
      expect(ids(second.body)).toHaveLength(2);
      expect(second.body).not.toContain('rel="next"');

      const bad = await get('/journal?from=31/12/2025&action=drop%20table');
      expect(bad.status).toBe(400);
      expect(bad.body).toContain('id="f-action-error"');
    });

    it('exports CSV with the same filters: RFC 4180 quoting, formulas defused, the export itself audited', async () => {
      const marker = `csv.${randomUUID().slice(0, 8)}`;
      await gw.runtime.auditor.record({ action: 'test.csv', outcome: 'info', subject: marker, reason: '=HYPERLINK("http://evil.example/","clic")', actor: '+33612345678', details: { note: 'virgule, "guillemets"\r\net retour' } });
      await gw.runtime.auditor.record({ action: 'test.csv', outcome: 'success', subject: marker, actor: '@admin', ip: '-1' });
      const response = await get(`/journal.csv?person=${marker}`);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
      expect(response.headers['content-disposition']).toMatch(/^attachment; filename="journal-\d{4}-\d{2}-\d{2}\.csv"$/);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body.startsWith('\ufeff')).toBe(true);
      // French Excel: `;` between fields (a comma-separated file opens in one column), Paris time beside UTC.
      expect(response.body.split('\r\n')[0]).toBe('\ufeffid;at;at_utc;action;outcome;reason;actor;ip;certificate_serial;application_id;subject;details');
      const rows = parseCsv(response.body.slice(1), ';');
      expect(rows[0]).toEqual(['id', 'at', 'at_utc', 'action', 'outcome', 'reason', 'actor', 'ip', 'certificate_serial', 'application_id', 'subject', 'details']);
      expect(rows).toHaveLength(3);
      const [newest, oldest] = [rows[1]!, rows[2]!];
      expect(newest.slice(3, 8)).toEqual(['test.csv', 'success', '', "'@admin", "'-1"]);
      expect(oldest[5]).toBe('\'=HYPERLINK("http://evil.example/","clic")');
      expect(oldest[6]).toBe("'+33612345678");
      expect(JSON.parse(oldest[11]!)).toEqual({ note: 'virgule, "guillemets"\r\net retour' });
      expect(oldest[10]).toBe(marker);
      const instant = Date.parse(oldest[2]!);
      expect(instant).toBeGreaterThan(0);
      const paris = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'medium' }).format(new Date(instant));
      expect(oldest[1]).toBe(paris);
      expect(response.body).toContain('"\'=HYPERLINK(""http://evil.example/"",""clic"")"');
      const [exported] = await auditOf(gw, 'audit.export');
      expect(exported).toMatchObject({ outcome: 'success', actor: alice.user.identifier, certificateSerial: alice.cert.serial, details: { filter: { person: marker } } });
    });

    it('a large export streams every event in order', async () => {
      const marker = `bulk.${randomUUID().slice(0, 8)}`;
      for (let i = 0; i < 1203; i += 1) await gw.runtime.auditor.record({ action: 'test.bulk', outcome: 'info', subject: marker, details: { i } });
      const rows = parseCsv((await get(`/journal.csv?person=${marker}`)).body.slice(1), ';');
      expect(rows).toHaveLength(1204);
      expect(rows.slice(1).map((r) => (JSON.parse(r[11]!) as { i: number }).i)).toEqual(Array.from({ length: 1203 }, (_, i) => 1202 - i));
    });
  });

  describe('mail outbox', () => {
    async function failedMessage(recipient: string): Promise<string> {
      const id = randomUUID();
      await gw.runtime.storage.outbox.enqueue({ id, recipient, template: 'registration.approved', lang: 'fr', payload: JSON.stringify({ provisionalPassword: 'SECRET-PAYLOAD-42' }), createdAt: gw.clock.now().getTime() });
      await gw.runtime.storage.db.run("UPDATE outbox SET status = 'failed', attempts = 8, last_error = '550 mailbox unavailable' WHERE id = ?", [id]);
      return id;
    }

    it('lists undelivered mails without their content; retries a failed one (audited)', async () => {
      const id = await failedMessage('injoignable@example.org');
      const page = await get('/courriels');
      expect(page.status).toBe(200);
      expect(page.body).toContain(`data-id="${id}"`);
      expect(page.body).toContain('injoignable@example.org');
      expect(page.body).toContain('registration.approved');
      expect(page.body).toContain('550 mailbox unavailable');
      expect(page.body).not.toContain('SECRET-PAYLOAD-42');
      expect((await get('/courriels?status=pending')).body).not.toContain(`data-id="${id}"`);

      expect((await post(`/courriels/${id}/relancer`, {}, alice, null)).status).toBe(403);
      expect((await gw.runtime.storage.outbox.findById(id))?.status).toBe('failed');
      const retried = await post(`/courriels/${id}/relancer`, {});
      expect(retried.status).toBe(303);
      expect(retried.headers.location).toBe('/courriels?ok=message_retried');
      expect(await gw.runtime.storage.outbox.findById(id)).toMatchObject({ status: 'pending', attempts: 0 });
      expect((await auditOf(gw, 'outbox.retry'))[0]).toMatchObject({ outcome: 'success', actor: alice.user.identifier, certificateSerial: alice.cert.serial, details: { messageId: id } });

      const again = await post(`/courriels/${id}/relancer`, {});
      expect(again.status).toBe(409);
      expect(errorCode(again.body)).toBe('not_failed');
      expect((await post('/courriels/unknown/relancer', {})).status).toBe(404);
    });
  });

  describe('API tokens (own)', () => {
    it('creates (shown once), lists without secrets, revokes after a confirmation; the token stops working', async () => {
      const created = await post('/jetons', { name: 'Script de test' });
      expect(created.status).toBe(201);
      const token = /value="(psl_[a-z0-9]{12}_[A-Za-z0-9_-]{43})"/.exec(created.body)?.[1];
      expect(token).toBeDefined();
      const id = token!.split('_')[1]!;
      const works = await gw.request({ host: CONSOLE, path: '/api/v1/registrations', cert: alice.cert, headers: { accept: 'application/json', authorization: `Bearer ${token}` } });
      expect(works.status).toBe(200);

      const list = await get('/jetons');
      expect(list.body).toContain(`data-id="${id}"`);
      expect(list.body).not.toContain(token);
      // Only one's own tokens.
      expect((await get('/jetons', bob)).body).not.toContain(`data-id="${id}"`);
      expect((await get(`/jetons/${id}/revoquer`, bob)).status).toBe(404);
      expect((await post(`/jetons/${id}/revoquer`, {}, bob)).status).toBe(404);

      const confirm = await get(`/jetons/${id}/revoquer`);
      expect(confirm.status).toBe(200);
      expect(confirm.body).toContain('data-page="console-token-revoke"');
      expect((await post(`/jetons/${id}/revoquer`, {}, alice, null)).status).toBe(403);
      const revoked = await post(`/jetons/${id}/revoquer`, {});
      expect(revoked.status).toBe(303);
      expect(revoked.headers.location).toBe('/jetons?ok=token_revoked');
      const refused = await gw.request({ host: CONSOLE, path: '/api/v1/registrations', cert: alice.cert, headers: { accept: 'application/json', authorization: `Bearer ${token}` } });
      expect(refused.status).toBe(401);
      expect((await auditOf(gw, 'token.revoke'))[0]).toMatchObject({ actor: alice.user.identifier, subject: alice.user.identifier, details: { tokenId: id } });

      const unnamed = await post('/jetons', { name: '' });
      expect(unnamed.status).toBe(400);
      expect(unnamed.body).toContain('id="f-name-error"');
    });
  });

  it('a clinician (even signed in) never sees these pages', async () => {
    const clinician = await gw.user({ familyName: 'Clinicien' });
    const cert = await gw.personalCertificate(clinician);
    const response = await gw.request({ host: CONSOLE, path: '/certificats', cert, cookies: new Map() });
    expect(response.status).not.toBe(200);
    expect(response.body).not.toContain('data-page="console-certificates"');
  });

  describe('CLI (another process, same database)', () => {
    const cli = async (...args: string[]) => (await run(process.execPath, [path.join(ROOT, 'bin/passerelle.js'), ...args], { env: { ...process.env, ...gw.env, PASSERELLE_PUBLIC_URL: gw.config.publicUrl }, cwd: ROOT })).stdout;

    it('establishment list|update|delete, cert list, outbox list|retry, audit-export', async () => {
      const e = await establishment('Centre CLI');
      const listed = JSON.parse(await cli('--json', 'establishment', 'list', '--q', 'centre cli')) as { establishments: Array<{ id: string }> };
      expect(listed.establishments.map((x) => x.id)).toEqual([e.id]);
      await cli('establishment', 'update', e.id, '--finess', '690000880', '--name', 'Centre CLI renommé');
      expect(await gw.runtime.storage.establishments.findById(e.id)).toMatchObject({ name: 'Centre CLI renommé', finess: '690000880' });
      const workstation = await gw.collectiveCertificate(e, 'Poste CLI');
      const certs = JSON.parse(await cli('--json', 'cert', 'list', '--establishment', e.id)) as { items: Array<{ serial: string }>; next: string | null };
      expect(certs.items.map((c) => c.serial)).toEqual([workstation.serial]);

      const id = randomUUID();
      await gw.runtime.storage.outbox.enqueue({ id, recipient: 'cli@example.org', template: 'registration.approved', lang: 'fr', payload: '{"secret":"CLI-SECRET"}', createdAt: gw.clock.now().getTime() });
      await gw.runtime.storage.db.run("UPDATE outbox SET status = 'failed' WHERE id = ?", [id]);
      const outbox = await cli('outbox', 'list', '--status', 'failed');
      expect(outbox).toContain(id);
      expect(outbox).not.toContain('CLI-SECRET');
      await cli('outbox', 'retry', id);
      expect((await gw.runtime.storage.outbox.findById(id))?.status).toBe('pending');

      const csv = parseCsv(await cli('audit-export', '--person', `establishment:${e.id}`, '--action', 'establishment.*'), ';');
      expect(csv.slice(1).map((r) => [r[3], r[6]?.startsWith('cli:')])).toEqual([
        ['establishment.update', true],
        ['establishment.create', false],
      ]);
      await expect(cli('establishment', 'delete', e.id)).rejects.toThrow(/establishment_in_use/);
    });
  });

  describe('admin API', () => {
    it('refuses a call without the token, and unknown query parameters or bodies', async () => {
      const anonymous = await gw.request({ host: CONSOLE, path: '/api/v1/certificates', cert: alice.cert, headers: { accept: 'application/json' } });
      expect(anonymous.status).toBe(401);
      expect((await api('GET', '/certificates?colour=blue')).json).toMatchObject({ error: 'invalid_query' });
      expect((await api('GET', '/audit?from=yesterday')).status).toBe(400);
      expect((await api('POST', '/establishments', { name: 'X', referentEmail: 'a@b.example.org', extra: 1 })).json).toMatchObject({ error: 'invalid_body' });
      const form = await gw.request({
        host: CONSOLE,
        method: 'POST',
        path: '/api/v1/establishments',
        cert: alice.cert,
        headers: { accept: 'application/json', authorization: `Bearer ${alice.token}`, ...FORM },
        body: 'name=X&referentEmail=a%40b.example.org',
      });
      expect(form.status).toBe(415);
    });

    it('establishments: create, read, patch, delete', async () => {
      const created = await api('POST', '/establishments', { name: 'Centre API', finess: '130000000', referentEmail: 'api@centre.example.org' });
      expect(created.status).toBe(201);
      const id = created.json.id as string;
      expect(created.json).toMatchObject({ name: 'Centre API', finess: '130000000', referentEmail: 'api@centre.example.org' });
      expect((await api('POST', '/establishments', { name: 'Doublon', finess: '130000000', referentEmail: 'x@y.example.org' })).json).toMatchObject({ error: 'finess_exists' });
      expect((await api('POST', '/establishments', { name: 'Mauvais', finess: '13', referentEmail: 'x@y.example.org' })).json).toMatchObject({ error: 'invalid_finess' });

      const list = await api('GET', '/establishments?q=centre%20api');
      expect(ids(list.json.establishments)).toEqual([id]);
      const read = await api('GET', `/establishments/${id}`);
      expect(read.json).toMatchObject({ establishment: { id, name: 'Centre API' }, peopleTotal: 0, people: [], collectiveCertificates: [], openRequests: [] });

      const patched = await api('PATCH', `/establishments/${id}`, { referentEmail: 'nouveau@centre.example.org', finess: null });
      expect(patched.status).toBe(200);
      expect(patched.json).toMatchObject({ name: 'Centre API', finess: null, referentEmail: 'nouveau@centre.example.org' });
      expect((await auditOf(gw, 'establishment.update'))[0]).toMatchObject({ actor: alice.user.identifier, certificateSerial: alice.cert.serial });

      const deleted = await api('DELETE', `/establishments/${id}`);
      expect(deleted.status).toBe(200);
      expect((await api('GET', `/establishments/${id}`)).status).toBe(404);
    });

    it('certificates: list with a cursor, read, revoke (→ CRL number)', async () => {
      const e = await establishment('Centre API certificats');
      const first = await gw.collectiveCertificate(e, 'Poste A');
      const second = await gw.collectiveCertificate(e, 'Poste B');
      const page1 = await api('GET', `/certificates?establishment=${e.id}&limit=1`);
      expect(page1.status).toBe(200);
      expect(page1.json.certificates).toHaveLength(1);
      expect(page1.json.next).toEqual(expect.any(String));
      const page2 = await api('GET', `/certificates?establishment=${e.id}&limit=1&after=${page1.json.next as string}`);
      expect(new Set([page1.json.certificates[0].serial, page2.json.certificates[0].serial])).toEqual(new Set([first.serial, second.serial]));
      expect(page2.json.next).toBeNull();
      expect((await api('GET', `/certificates/${first.serial}`)).json).toMatchObject({ serial: first.serial, kind: 'collective', state: 'valid', establishment: { id: e.id } });

      const crlBefore = (await gw.runtime.storage.crls.latest())?.number ?? 0;
      expect((await api('POST', `/certificates/${first.serial}/revoke`, { reason: 'certificateHold' })).json).toMatchObject({ error: 'invalid_reason' });
      const revoked = await api('POST', `/certificates/${first.serial}/revoke`, { reason: 'cessationOfOperation' });
      expect(revoked.status).toBe(200);
      expect(revoked.json).toMatchObject({ certificate: { serial: first.serial, state: 'revoked', revocationReason: 'cessationOfOperation' }, crlNumber: crlBefore + 1 });
      expect((await api('POST', `/certificates/${first.serial}/revoke`, { reason: 'superseded' })).json).toMatchObject({ error: 'already_revoked' });
      expect((await api('POST', '/certificates/ffff/revoke', { reason: 'superseded' })).status).toBe(404);
      expect((await gw.request({ path: '/', cert: first })).status).toBe(495);
    });

    it('applications, audit (JSON and CSV), outbox, tokens', async () => {
      const apps = await api('GET', '/applications');
      expect(apps.json.applications).toEqual([expect.objectContaining({ id: 'opendrp', name: 'OpenDRP' })]);
      expect((await api('GET', '/applications/opendrp?limit=2')).json).toMatchObject({ application: { id: 'opendrp' }, holders: { items: expect.any(Array) } });

      const marker = `api.${randomUUID().slice(0, 8)}`;
      for (let i = 0; i < 3; i += 1) await gw.runtime.auditor.record({ action: 'test.api', outcome: 'success', subject: marker });
      const events = await api('GET', `/audit?person=${marker}&limit=2`);
      expect(events.json.events).toHaveLength(2);
      const older = await api('GET', `/audit?person=${marker}&limit=2&before=${events.json.next as number}`);
      expect(older.json).toMatchObject({ events: [expect.objectContaining({ subject: marker })], next: null });
      const csv = await gw.request({ host: CONSOLE, path: `/api/v1/audit.csv?person=${marker}`, cert: alice.cert, headers: { authorization: `Bearer ${alice.token}` } });
      expect(csv.status).toBe(200);
      expect(parseCsv(csv.body.slice(1), ';')).toHaveLength(4);

      const id = randomUUID();
      await gw.runtime.storage.outbox.enqueue({ id, recipient: 'api@example.org', template: 'registration.approved', lang: 'fr', payload: '{"secret":"NEVER-SHOWN"}', createdAt: gw.clock.now().getTime() });
      await gw.runtime.storage.db.run("UPDATE outbox SET status = 'failed', last_error = 'timeout' WHERE id = ?", [id]);
      const outbox = await api('GET', '/outbox?status=failed');
      expect(ids(outbox.json.messages)).toContain(id);
      expect(outbox.body).not.toContain('NEVER-SHOWN');
      expect(outbox.json.counts.failed).toBeGreaterThanOrEqual(1);
      expect((await api('POST', `/outbox/${id}/retry`)).json).toMatchObject({ id, status: 'pending', attempts: 0 });
      expect((await api('POST', `/outbox/${id}/retry`)).json).toMatchObject({ error: 'not_failed' });

      const made = await api('POST', '/tokens', { name: 'API-made' });
      expect(made.status).toBe(201);
      expect(made.json.token).toMatch(/^psl_/);
      const mine = await api('GET', '/tokens');
      expect(ids(mine.json.tokens)).toContain(made.json.record.id);
      expect(mine.body).not.toContain(made.json.token);
      expect(ids((await api('GET', '/tokens', undefined, bob)).json.tokens)).not.toContain(made.json.record.id);
      expect((await api('POST', `/tokens/${made.json.record.id as string}/revoke`, undefined, bob)).status).toBe(404);
      expect((await api('POST', `/tokens/${made.json.record.id as string}/revoke`)).json).toMatchObject({ id: made.json.record.id, revokedAt: expect.any(String) });
    });
  });
});
