/**
 * The coordination cell's decisions as domain operations, on real storage (SQLite, and
 * PostgreSQL when DATABASE_URL is set): accounts, codes, grants, the mails they queue in the
 * outbox and the audit rows — and the same operations through the real CLI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  approveAccessRequest,
  approveCertificateRequest,
  approveRegistration,
  createCollectiveRequest,
  listCertificateRequests,
  listRegistrations,
  reissueWithdrawalCode,
  rejectAccessRequest,
  rejectCertificateRequest,
  rejectRegistration,
} from '../src/approval/index.ts';
import { verifyPassword } from '../src/authentication/password.ts';
import { PasserelleError } from '../src/shared/errors.ts';
import type { OutboxMessage, Registration, User } from '../src/model/index.ts';
import { startTestGateway, type TestGateway } from './helpers/gateway.ts';
import { databaseBackends } from './helpers/backends.ts';
import { pdfEncryption, readPdfText } from './helpers/pdf.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const CELL = { name: 'celine.coordo', ip: '192.0.2.10' };
const DAY = 86_400_000;

/** The real CLI in another process, on the same data directory / database. */
async function cli(gw: TestGateway, args: string[]): Promise<unknown> {
  const { stdout } = await run(process.execPath, [path.join(ROOT, 'bin/passerelle.js'), '--json', ...args], { env: { ...process.env, ...gw.env, PASSERELLE_PUBLIC_URL: gw.config.publicUrl }, cwd: ROOT });
  return JSON.parse(stdout) as unknown;
}

async function cliFailure(gw: TestGateway, args: string[]): Promise<{ code: number; error: unknown }> {
  try {
    await cli(gw, args);
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, error: JSON.parse(e.stderr.split('\n').filter((l) => l.startsWith('{')).pop()!) as unknown };
  }
  throw new Error('the command succeeded');
}

async function rejection(promise: Promise<unknown>): Promise<PasserelleError> {
  const error: unknown = await promise.then(
    () => new Error('expected a refusal'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PasserelleError);
  return error as PasserelleError;
}

describe.each(databaseBackends())('approval on $name', ({ url }) => {
  let gw: TestGateway;
  let counter = 0;

  beforeAll(async () => {
    gw = await startTestGateway({ databaseUrl: url });
  });
  afterAll(async () => {
    await gw?.close();
  });

  async function registration(overrides: Partial<Registration> = {}): Promise<Registration> {
    counter += 1;
    const r = {
      id: randomUUID(),
      givenName: 'Hélène',
      familyName: `Lefèvre-Test${counter}`,
      email: `inscrit${counter}@example.org`,
      profession: 'Kinésithérapeute',
      rpps: null,
      establishmentId: null,
      establishmentName: 'Cabinet des Lilas',
      reason: 'Réhabilitation respiratoire',
      requestedApplication: null,
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

  async function accessRequest(user: User, applicationId = 'opendrp'): Promise<string> {
    const id = randomUUID();
    await gw.runtime.storage.accessRequests.insert({ id, userId: user.id, applicationId, createdAt: gw.clock.now().getTime() });
    return id;
  }

  /** Oldest first; mails queued in the same millisecond by template name (the PDF before its password). */
  async function mailsTo(recipient: string): Promise<OutboxMessage[]> {
    const mails = (await gw.runtime.storage.outbox.list(undefined, 10_000)).filter((m) => m.recipient === recipient);
    return mails.sort((a, b) => Number(a.createdAt) - Number(b.createdAt) || a.template.localeCompare(b.template));
  }

  async function counts(): Promise<{ users: number; outbox: number; grants: number; codes: number }> {
    const n = async (table: string) => Number((await gw.runtime.storage.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))!.n);
    return { users: await n('users'), outbox: await n('outbox'), grants: await n('grants'), codes: await n('withdrawal_codes') };
  }

  /** The code printed in the PDF: the one word of the text that matches the stored hash. */
  async function codeInPdf(text: string, codeHash: string): Promise<string> {
    const candidates = [...new Set(text.match(/\b[a-zA-Z2-9]{8}\b/g) ?? [])];
    const matching: string[] = [];
    for (const word of candidates) if (await verifyPassword(codeHash, word)) matching.push(word);
    expect(matching).toHaveLength(1);
    return matching[0]!;
  }

  describe('registrations', () => {
    it('approval creates the provisional account, opens the access request, mails identifier and password, audits', async () => {
      const establishment = await gw.establishment('Centre Hospitalier de Dijon');
      const r = await registration({ givenName: 'Éloïse', familyName: 'Dupré-Œuvray', establishmentId: establishment.id, requestedApplication: 'opendrp', lang: 'en', rpps: '10101010101' });
      const approved = await approveRegistration(gw.runtime, r.id, CELL);
      expect(approved.identifier).toBe('eloise.dupre-oeuvray');

      const user = (await gw.runtime.storage.users.findById(approved.userId))!;
      expect(user).toMatchObject({ identifier: 'eloise.dupre-oeuvray', status: 'provisional', role: 'clinician', establishmentId: establishment.id, email: r.email, lang: 'en', rpps: '10101010101', profession: 'Kinésithérapeute' });
      expect(user.provisionalExpiresAt).toBe(gw.clock.now().getTime() + gw.config.accounts.provisionalPasswordDays * DAY);
      expect(await gw.runtime.storage.registrations.findById(r.id)).toMatchObject({ status: 'approved', userId: user.id, decidedBy: CELL.name });

      const access = await gw.runtime.storage.accessRequests.list({ userId: user.id });
      expect(access).toHaveLength(1);
      expect(access[0]).toMatchObject({ id: approved.accessRequestId, applicationId: 'opendrp', status: 'pending' });

      const mails = await mailsTo(r.email);
      expect(mails.map((m) => m.template)).toEqual(['registration.approved']);
      expect(mails[0]!.lang).toBe('en');
      const data = JSON.parse(mails[0]!.payload) as { identifier: string; provisionalPassword: string; portalUrl: string; expiresAt: number; givenName: string };
      expect(data).toMatchObject({ identifier: 'eloise.dupre-oeuvray', givenName: 'Éloïse', portalUrl: gw.config.publicUrl, expiresAt: user.provisionalExpiresAt });
      expect(await verifyPassword(user.passwordHash, data.provisionalPassword)).toBe(true);

      const audit = await gw.runtime.storage.audit.list({ action: 'registration.approve', subject: user.identifier });
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ outcome: 'success', actor: CELL.name, ip: CELL.ip, applicationId: 'opendrp' });
      expect(audit[0]!.details).toMatchObject({ registrationId: r.id, userId: user.id });
      expect(await gw.runtime.storage.audit.list({ action: 'user.create', subject: user.identifier })).toHaveLength(1);
    });

    it('a name already taken gets -2, then -3', async () => {
      const first = await approveRegistration(gw.runtime, (await registration({ givenName: 'Zoé', familyName: 'Müller' })).id, CELL);
      const second = await approveRegistration(gw.runtime, (await registration({ givenName: 'zoe', familyName: 'MULLER' })).id, CELL);
      const third = await approveRegistration(gw.runtime, (await registration({ givenName: 'Zoë', familyName: 'Muller' })).id, CELL);
      expect([first.identifier, second.identifier, third.identifier]).toEqual(['zoe.muller', 'zoe.muller-2', 'zoe.muller-3']);
    });

    it('two approvals racing for the same new name both succeed with distinct identifiers', async () => {
      const [a, b] = await Promise.all([
        approveRegistration(gw.runtime, (await registration({ givenName: 'Anaïs', familyName: 'Racé' })).id, CELL),
        approveRegistration(gw.runtime, (await registration({ givenName: 'Anais', familyName: 'Race' })).id, CELL),
      ]);
      expect([a.identifier, b.identifier].sort()).toEqual(['anais.race', 'anais.race-2']);
    });

    it('a second approval is refused with already_decided and changes nothing', async () => {
      const r = await registration({ givenName: 'Paul', familyName: 'Deuxfois' });
      await approveRegistration(gw.runtime, r.id, CELL);
      const before = await counts();
      const error = await rejection(approveRegistration(gw.runtime, r.id, CELL));
      expect([error.status, error.code]).toEqual([409, 'already_decided']);
      expect(await counts()).toEqual(before);
      expect(await gw.runtime.storage.users.findByIdentifier('paul.deuxfois-2')).toBeUndefined();
      const failures = await gw.runtime.storage.audit.list({ action: 'registration.approve', subject: `registration:${r.id}` });
      expect(failures.map((e) => [e.outcome, e.reason, e.actor])).toEqual([['failure', 'already_decided', CELL.name]]);
    });

    it('two coordinators approving the same registration at once: one account, one 409', async () => {
      const r = await registration({ givenName: 'Jeanne', familyName: 'Simultané' });
      const results = await Promise.allSettled([approveRegistration(gw.runtime, r.id, CELL), approveRegistration(gw.runtime, r.id, { name: 'autre.coordo', ip: null })]);
      expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((x) => x.status === 'rejected')!;
      expect((refused.reason as PasserelleError).code).toBe('already_decided');
      expect(await gw.runtime.storage.users.findByIdentifier('jeanne.simultane')).toBeDefined();
      expect(await gw.runtime.storage.users.findByIdentifier('jeanne.simultane-2')).toBeUndefined();
      expect(await mailsTo(r.email)).toHaveLength(1);
    });

    it('rejection needs a reason, then mails it; no account is created', async () => {
      const r = await registration({ givenName: 'Marc', familyName: 'Refusé' });
      const before = await counts();
      for (const reason of [undefined, '', '   ']) {
        const error = await rejection(rejectRegistration(gw.runtime, r.id, reason, CELL));
        expect([error.status, error.code]).toEqual([400, 'reason_required']);
      }
      expect(await counts()).toEqual(before);
      expect((await gw.runtime.storage.registrations.findById(r.id))!.status).toBe('pending');

      await rejectRegistration(gw.runtime, r.id, '  Profession hors du périmètre de la plateforme  ', CELL);
      expect(await gw.runtime.storage.registrations.findById(r.id)).toMatchObject({ status: 'rejected', decisionReason: 'Profession hors du périmètre de la plateforme', userId: null });
      const mails = await mailsTo(r.email);
      expect(mails.map((m) => m.template)).toEqual(['registration.rejected']);
      expect(JSON.parse(mails[0]!.payload)).toEqual({ givenName: 'Marc', reason: 'Profession hors du périmètre de la plateforme' });
      expect((await counts()).users).toBe(before.users);
      expect((await rejection(approveRegistration(gw.runtime, r.id, CELL))).code).toBe('already_decided');
      const audit = await gw.runtime.storage.audit.list({ action: 'registration.reject', subject: `registration:${r.id}` });
      expect(audit.map((e) => e.outcome).sort()).toEqual(['failure', 'failure', 'failure', 'success']);
    });

    it('an unknown registration is not_found', async () => {
      const error = await rejection(approveRegistration(gw.runtime, randomUUID(), CELL));
      expect([error.status, error.code]).toEqual([404, 'not_found']);
    });

    it('pending registrations list their possible duplicates (e-mail, name without accents, RPPS)', async () => {
      const existing = await gw.user({ givenName: 'Sébastien', familyName: 'Doublon' });
      const sameName = await registration({ givenName: 'sebastien', familyName: 'DOUBLON' });
      const sameEmail = await registration({ givenName: 'Autre', familyName: 'Personne', email: existing.email.toUpperCase() });
      const sameRpps1 = await registration({ givenName: 'Irène', familyName: 'Rpps', rpps: '19900000001' });
      const sameRpps2 = await registration({ givenName: 'Irene', familyName: 'Autrenom', rpps: '19900000001' });
      const alone = await registration({ givenName: 'Unique', familyName: 'Sansdoublon' });

      const pending = await listRegistrations(gw.runtime, 'pending');
      const byId = new Map(pending.map((r) => [r.id, r]));
      expect(byId.get(sameName.id)!.duplicates).toEqual([expect.objectContaining({ kind: 'user', id: existing.id, identifier: existing.identifier, matches: ['name'] })]);
      expect(byId.get(sameEmail.id)!.duplicates).toEqual([expect.objectContaining({ kind: 'user', id: existing.id, matches: ['email'] })]);
      expect(byId.get(sameRpps1.id)!.duplicates).toEqual([expect.objectContaining({ kind: 'registration', id: sameRpps2.id, matches: ['rpps'] })]);
      expect(byId.get(sameRpps2.id)!.duplicates).toEqual([expect.objectContaining({ kind: 'registration', id: sameRpps1.id, matches: ['rpps'] })]);
      expect(byId.get(alone.id)!.duplicates).toEqual([]);
      expect(pending.every((r) => r.status === 'pending')).toBe(true);
    });
  });

  describe('certificate requests', () => {
    it('approval issues a hashed code and queues the PDF and its password in two mails; the code is in clear nowhere else', async () => {
      const user = await gw.user({ givenName: 'Hugo', familyName: 'Retrait' });
      const id = await certificateRequest(user);
      const approved = await approveCertificateRequest(gw.runtime, id, CELL);
      expect(approved).toEqual({
        id,
        kind: 'personal',
        status: 'approved',
        withdrawalIdentifier: `${user.identifier}@${gw.config.platformDomain}`,
        codeExpiresAt: new Date(gw.clock.now().getTime() + gw.config.withdrawal.codeValidityDays * DAY).toISOString(),
        mailedTo: user.email,
      });
      expect((await gw.runtime.storage.certificateRequests.findById(id))!).toMatchObject({ status: 'approved', decidedBy: CELL.name });
      const codes = await gw.runtime.storage.withdrawalCodes.listForRequestIds([id]);
      expect(codes).toHaveLength(1);
      expect(codes[0]).toMatchObject({ status: 'unused', failedAttempts: 0 });
      expect(codes[0]!.codeHash).toMatch(/^\$argon2id\$/);

      const mails = await mailsTo(user.email);
      expect(mails.map((m) => m.template)).toEqual(['withdrawal.document', 'withdrawal.password']);
      const document = JSON.parse(mails[0]!.payload) as { pdfBase64: string; withdrawalUrl: string; holderName: string; label: string; collective: boolean };
      const { pdfPassword } = JSON.parse(mails[1]!.payload) as { pdfPassword: string };
      expect(document).toMatchObject({ holderName: 'Hugo Retrait', label: 'Cabinet — poste accueil', withdrawalUrl: `${gw.config.publicUrl}/retrait`, collective: false });
      expect(pdfPassword).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{16}$/);

      const pdf = Buffer.from(document.pdfBase64, 'base64');
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(await pdfEncryption(pdf)).toMatch(/AES.*256|256.*AES/);
      await expect(readPdfText(pdf, 'not-the-password')).rejects.toThrow();
      const text = await readPdfText(pdf, pdfPassword);
      expect(text).toContain(approved.withdrawalIdentifier);
      const code = await codeInPdf(text, codes[0]!.codeHash);
      // Neither mail nor the answer carries the code in clear; the password mail has no code.
      for (const mail of mails) expect(mail.payload).not.toContain(code);
      expect(JSON.stringify(approved)).not.toContain(code);
      expect(mails[1]!.payload).not.toContain(approved.withdrawalIdentifier);

      const audit = await gw.runtime.storage.audit.list({ action: 'certificate-request.approve', subject: user.identifier });
      expect(audit[0]).toMatchObject({ outcome: 'success', actor: CELL.name, ip: CELL.ip });
      expect(JSON.stringify(audit)).not.toContain(code);

      const error = await rejection(approveCertificateRequest(gw.runtime, id, CELL));
      expect([error.status, error.code]).toEqual([409, 'already_decided']);
    });

    it('a new code supersedes the old one and goes out in two new mails; only approved requests get one', async () => {
      const user = await gw.user({ givenName: 'Nina', familyName: 'Nouveaucode' });
      const id = await certificateRequest(user);
      expect((await rejection(reissueWithdrawalCode(gw.runtime, id, CELL))).code).toBe('not_approved');
      await approveCertificateRequest(gw.runtime, id, CELL);
      gw.clock.advance(DAY);
      const renewed = await reissueWithdrawalCode(gw.runtime, id, CELL);
      expect(renewed.codeExpiresAt).toBe(new Date(gw.clock.now().getTime() + gw.config.withdrawal.codeValidityDays * DAY).toISOString());
      const codes = await gw.runtime.storage.withdrawalCodes.listForRequestIds([id]);
      expect(codes.map((c) => c.status)).toEqual(['unused', 'superseded']);
      expect((await mailsTo(user.email)).map((m) => m.template)).toEqual(['withdrawal.document', 'withdrawal.password', 'withdrawal.document', 'withdrawal.password']);
      const audit = await gw.runtime.storage.audit.list({ action: 'certificate-request.new-code', subject: user.identifier });
      expect(audit).toHaveLength(1);
      expect((await rejection(reissueWithdrawalCode(gw.runtime, randomUUID(), CELL))).code).toBe('not_found');
    });

    it('rejection needs a reason and mails it to the holder', async () => {
      const user = await gw.user({ givenName: 'Rémi', familyName: 'Sanscertif' });
      const id = await certificateRequest(user, 'Domicile');
      const before = await counts();
      expect((await rejection(rejectCertificateRequest(gw.runtime, id, ' ', CELL))).code).toBe('reason_required');
      expect(await counts()).toEqual(before);
      await rejectCertificateRequest(gw.runtime, id, 'Un poste personnel au domicile n’est pas prévu', CELL);
      expect(await gw.runtime.storage.certificateRequests.findById(id)).toMatchObject({ status: 'rejected', decisionReason: 'Un poste personnel au domicile n’est pas prévu' });
      const mails = await mailsTo(user.email);
      expect(mails.map((m) => m.template)).toEqual(['certificate-request.rejected']);
      expect(JSON.parse(mails[0]!.payload)).toEqual({ holderName: 'Rémi Sanscertif', label: 'Domicile', reason: 'Un poste personnel au domicile n’est pas prévu' });
      expect((await counts()).codes).toBe(before.codes);
      expect((await rejection(reissueWithdrawalCode(gw.runtime, id, CELL))).code).toBe('not_approved');
    });

    it('a collective request created by the cell is approved and its code goes to the referent', async () => {
      const establishment = await gw.runtime.accounts.createEstablishment({ name: 'EHPAD Les Tilleuls', finess: '210780581', referentEmail: 'referent.tilleuls@example.org' }, CELL);
      const pending = await createCollectiveRequest(gw.runtime, { establishmentId: establishment.id, label: 'Salle de soins' }, CELL);
      expect(pending).toMatchObject({ status: 'pending', approval: null, kind: 'collective' });
      expect(await gw.runtime.storage.certificateRequests.findById(pending.id)).toMatchObject({ status: 'pending', requestedBy: CELL.name, userId: null, establishmentId: establishment.id });

      // By FINESS, approved at once.
      const created = await createCollectiveRequest(gw.runtime, { establishmentId: '210780581', label: 'Poste infirmier', approve: true }, CELL);
      expect(created.status).toBe('approved');
      expect(created.approval!.withdrawalIdentifier).toBe(`poste-${created.id.slice(0, 8)}@${gw.config.platformDomain}`);
      expect(created.approval!.mailedTo).toBe('referent.tilleuls@example.org');
      const mails = await mailsTo('referent.tilleuls@example.org');
      expect(mails.map((m) => m.template)).toEqual(['withdrawal.document', 'withdrawal.password']);
      expect(JSON.parse(mails[0]!.payload)).toMatchObject({ holderName: 'EHPAD Les Tilleuls', label: 'Poste infirmier', collective: true });
      const pdfPassword = (JSON.parse(mails[1]!.payload) as { pdfPassword: string }).pdfPassword;
      const text = await readPdfText(Buffer.from((JSON.parse(mails[0]!.payload) as { pdfBase64: string }).pdfBase64, 'base64'), pdfPassword);
      expect(text).toContain(created.approval!.withdrawalIdentifier);

      const listed = (await listCertificateRequests(gw.runtime, 'approved')).find((r) => r.id === created.id)!;
      expect(listed).toMatchObject({ kind: 'collective', holder: null, establishment: { id: establishment.id, name: 'EHPAD Les Tilleuls' }, withdrawal: { identifier: created.approval!.withdrawalIdentifier, status: 'unused' } });
      expect(JSON.stringify(listed)).not.toMatch(/codeHash|\$argon2/);

      expect((await rejection(createCollectiveRequest(gw.runtime, { establishmentId: randomUUID(), label: 'X' }, CELL))).code).toBe('establishment_not_found');
      expect((await rejection(createCollectiveRequest(gw.runtime, { establishmentId: establishment.id, label: '  ' }, CELL))).code).toBe('missing_field');
    });
  });

  describe('access requests', () => {
    it('approval grants access and mails the application address; rejection mails the reason', async () => {
      const user = await gw.user({ grant: false, givenName: 'Agathe', familyName: 'Accès' });
      const granted = await accessRequest(user);
      expect(await gw.runtime.storage.grants.isGranted(user.id, 'opendrp')).toBe(false);
      expect(await approveAccessRequest(gw.runtime, granted, CELL)).toEqual({ id: granted, status: 'granted', userId: user.id, applicationId: 'opendrp' });
      expect(await gw.runtime.storage.grants.isGranted(user.id, 'opendrp')).toBe(true);
      expect((await gw.runtime.storage.accessRequests.findById(granted))!.status).toBe('granted');
      const [mail] = await mailsTo(user.email);
      expect(mail!.template).toBe('access.granted');
      expect(JSON.parse(mail!.payload)).toEqual({ givenName: 'Agathe', applicationName: 'OpenDRP', applicationUrl: `https://opendrp.localhost:${gw.config.listeners.gateway.port}/` });
      expect((await rejection(approveAccessRequest(gw.runtime, granted, CELL))).code).toBe('already_decided');
      expect((await gw.runtime.storage.audit.list({ action: 'access-request.approve', subject: user.identifier }))[0]).toMatchObject({ outcome: 'success', actor: CELL.name, applicationId: 'opendrp' });

      const other = await gw.user({ grant: false, givenName: 'Bruno', familyName: 'Refusaccès' });
      const refused = await accessRequest(other);
      expect((await rejection(rejectAccessRequest(gw.runtime, refused, '', CELL))).code).toBe('reason_required');
      await rejectAccessRequest(gw.runtime, refused, 'Réservé aux kinésithérapeutes du réseau', CELL);
      expect(await gw.runtime.storage.grants.isGranted(other.id, 'opendrp')).toBe(false);
      const mails = await mailsTo(other.email);
      expect(mails.map((m) => [m.template, JSON.parse(m.payload) as unknown])).toEqual([['access.rejected', { givenName: 'Bruno', applicationName: 'OpenDRP', reason: 'Réservé aux kinésithérapeutes du réseau' }]]);
    });
  });

  describe('CLI', () => {
    it('lists, approves and rejects like the API, audited as cli:<user>', async () => {
      const approved = await registration({ givenName: 'Clément', familyName: 'Terminal' });
      const rejected = await registration({ givenName: 'Clara', familyName: 'Terminal' });
      const listed = (await cli(gw, ['registration', 'list'])) as Array<{ id: string; duplicates: unknown[] }>;
      expect(listed.map((r) => r.id)).toEqual(expect.arrayContaining([approved.id, rejected.id]));

      expect(await cli(gw, ['registration', 'approve', approved.id])).toMatchObject({ id: approved.id, status: 'approved', identifier: 'clement.terminal' });
      expect(await cli(gw, ['registration', 'reject', rejected.id, '--reason', 'Doublon'])).toEqual({ id: rejected.id, status: 'rejected' });
      const again = await cliFailure(gw, ['registration', 'approve', approved.id]);
      expect(again).toEqual({ code: 4, error: { error: 'already_decided', message: expect.any(String) as string } });
      const audit = await gw.runtime.storage.audit.list({ action: 'registration.approve', subject: 'clement.terminal' });
      expect(audit[0]!.actor).toMatch(/^cli:/);

      const user = (await gw.runtime.storage.users.findByIdentifier('clement.terminal'))!;
      const request = await certificateRequest(user, 'Poste CLI');
      expect(((await cli(gw, ['cert-request', 'list'])) as Array<{ id: string }>).map((r) => r.id)).toContain(request);
      expect(await cli(gw, ['cert-request', 'approve', request])).toMatchObject({ id: request, status: 'approved', withdrawalIdentifier: `clement.terminal@${gw.config.platformDomain}` });
      expect(await cli(gw, ['cert-request', 'new-code', request])).toMatchObject({ id: request, status: 'approved' });
      expect((await gw.runtime.storage.withdrawalCodes.listForRequestIds([request])).map((c) => c.status).sort()).toEqual(['superseded', 'unused']);

      const establishment = await gw.establishment('Maison de santé CLI');
      expect(await cli(gw, ['cert-request', 'create-collective', '--establishment', establishment.id, '--label', 'Accueil', '--approve'])).toMatchObject({ status: 'approved', approval: { mailedTo: establishment.referentEmail } });

      const access = await accessRequest(user);
      expect(((await cli(gw, ['access-request', 'list'])) as Array<{ id: string }>).map((r) => r.id)).toContain(access);
      expect(await cli(gw, ['access-request', 'approve', access])).toMatchObject({ id: access, status: 'granted' });
      expect(await gw.runtime.storage.grants.isGranted(user.id, 'opendrp')).toBe(true);
      expect((await cliFailure(gw, ['access-request', 'reject', access, '--reason', 'trop tard'])).error).toMatchObject({ error: 'already_decided' });
    });
  });
});
