/**
 * The transactional outbox and its worker against a real SMTP server (smtp-server on
 * loopback), on SQLite and, when DATABASE_URL is set, PostgreSQL. Time is a ManualClock:
 * backoffs and leases are crossed by moving it, never by sleeping.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.ts';
import { createTransport, enqueueMail, MailWorker, renderWithdrawalPdf, startMailWorker, type MailRunResult, type MailTransport, type MailWorkerDeps } from '../src/notification/index.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { PasserelleError } from '../src/shared/errors.ts';
import { logger } from '../src/shared/logger.ts';
import { cryptoRandom } from '../src/shared/random.ts';
import { openStorage, type Storage } from '../src/storage/index.ts';
import { databaseBackends, dropSchema, freshDatabaseUrl } from './helpers/backends.ts';
import { readPdfText } from './helpers/pdf.ts';
import { parseMail, startSmtpServer, type TestSmtpServer } from './helpers/smtp.ts';

const FROM = 'Passerelle <no-reply@esante.localhost>';
const LEASE = 5 * 60_000;
const CODE = 'hT7kPw3z';
const PDF_PASSWORD = 'vN8qRx2mLs4d';
const PROVISIONAL = 'Prov-9xYt42kW';

const approved = (n = 0) => ({
  to: `person${n}@example.test`,
  template: 'registration.approved' as const,
  lang: 'fr' as const,
  data: { givenName: `Personne${n}`, identifier: `personne${n}`, provisionalPassword: PROVISIONAL, portalUrl: 'https://portail.esante.localhost/', expiresAt: Date.UTC(2026, 1, 1) },
});

/** A port with nothing listening on it (a server was there a moment ago). */
async function closedPort(): Promise<number> {
  const probe = await startSmtpServer();
  await probe.stop();
  return probe.port;
}

describe.each(databaseBackends())('mail outbox on $name', ({ url }) => {
  let dir: string;
  let databaseUrl: string | null;
  let storage: Storage;
  let clock: ManualClock;
  const extra: Array<{ close(): unknown }> = [];
  const servers: TestSmtpServer[] = [];

  const deps = () => ({ clock, random: cryptoRandom });
  const queue = (mail: Parameters<typeof enqueueMail>[2]) => storage.transaction((repos) => enqueueMail(repos, deps(), mail));
  const smtpServer = async (port?: number) => {
    const server = await startSmtpServer(port === undefined ? {} : { port });
    servers.push(server);
    return server;
  };
  const transportTo = (server: { url: string } | number): MailTransport => {
    const transport = createTransport({ smtpUrl: typeof server === 'number' ? `smtp://127.0.0.1:${server}` : server.url, dataDir: dir });
    extra.push(transport);
    return transport;
  };
  const worker = (transport: MailTransport, overrides: Partial<MailWorkerDeps> = {}) =>
    new MailWorker({ storage, clock, transport, from: FROM, maxAttempts: 8, leaseMs: LEASE, ...overrides });

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'passerelle-outbox-'));
    databaseUrl = url ? await freshDatabaseUrl(url) : null;
    storage = await openStorage({ databaseUrl, dataDir: dir });
    clock = new ManualClock();
    logger.silence(true);
  });

  afterEach(async () => {
    logger.silence(false);
    for (const item of extra.splice(0)) await item.close();
    for (const server of servers.splice(0)) await server.stop();
    await storage.close();
    if (databaseUrl) await dropSchema(databaseUrl);
    await rm(dir, { recursive: true, force: true });
  });

  it('queues nothing when the transaction that enqueues rolls back', async () => {
    await expect(
      storage.transaction(async (repos) => {
        await enqueueMail(repos, deps(), approved());
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    expect(await storage.outbox.list()).toEqual([]);

    const id = await queue(approved());
    const [row] = await storage.outbox.list();
    expect(row).toMatchObject({ id, recipient: 'person0@example.test', template: 'registration.approved', lang: 'fr', status: 'pending', attempts: 0, nextAttemptAt: clock.now().getTime() });
    expect(JSON.parse(row!.payload)).toEqual(approved().data);
  });

  it('refuses a bad address or bad data, changing nothing', async () => {
    const code = (error: unknown) => (error instanceof PasserelleError ? error.code : String(error));
    for (const to of ['not-an-address', 'a@b.test\r\nBcc: x@y.test', 'a@b.test, c@d.test', 'Name <a@b.test>']) {
      expect(code(await queue({ ...approved(), to }).catch((e: unknown) => e))).toBe('invalid_email');
    }
    const broken = { ...approved(), data: { ...approved().data, expiresAt: undefined as unknown as number } };
    expect(code(await queue(broken).catch((e: unknown) => e))).toBe('mail_invalid');
    expect(await storage.outbox.list()).toEqual([]);
  });

  it('delivers rendered mails, the PDF and its password apart, and scrubs what was sent', async () => {
    const smtp = await smtpServer();
    const pdf = await renderWithdrawalPdf({
      lang: 'fr',
      platformName: 'ENRS',
      holderName: 'Hélène Lefèvre',
      label: 'Poste accueil',
      withdrawalUrl: 'https://portail.esante.localhost/retrait',
      withdrawalIdentifier: 'helene.lefevre@esante.localhost',
      code: CODE,
      expiresAt: Date.UTC(2026, 1, 14),
      password: PDF_PASSWORD,
    });
    const ids = await storage.transaction(async (repos) => [
      await enqueueMail(repos, deps(), approved()),
      await enqueueMail(repos, deps(), {
        to: 'helene@example.test',
        template: 'withdrawal.document',
        lang: 'fr',
        data: { holderName: 'Hélène Lefèvre', label: 'Poste accueil', pdfBase64: pdf.toString('base64'), withdrawalUrl: 'https://portail.esante.localhost/retrait', expiresAt: Date.UTC(2026, 1, 14), collective: false },
      }),
      await enqueueMail(repos, deps(), { to: 'helene@example.test', template: 'withdrawal.password', lang: 'en', data: { holderName: 'Hélène Lefèvre', label: 'Poste accueil', pdfPassword: PDF_PASSWORD } }),
    ]);

    expect(await worker(transportTo(smtp)).runOnce()).toEqual({ sent: 3, retried: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(3);
    const bySubject = new Map(smtp.messages.map((m) => [m.subject, m]));
    const account = bySubject.get('[Passerelle] Votre compte est créé')!;
    expect(account.to).toEqual(['person0@example.test']);
    expect(account.from).toBe(FROM);
    expect(account.text).toContain(PROVISIONAL);
    expect(account.html).toContain(PROVISIONAL);

    const document = bySubject.get('[Passerelle] Retrait de votre certificat (document 1/2)')!;
    const password = bySubject.get('[Passerelle] Password of the withdrawal document (2/2)')!;
    expect(document.to).toEqual(['helene@example.test']);
    expect(document.attachments.map((a) => [a.filename, a.contentType])).toEqual([['retrait-certificat.pdf', 'application/pdf']]);
    expect(password.attachments).toEqual([]);
    // No mail carries both a secret and what it unlocks.
    expect(document.raw).not.toContain(PDF_PASSWORD);
    expect(document.raw).not.toContain(CODE);
    expect(password.raw).not.toContain(CODE);
    const pdfPassword = /Document password: (\S+)/.exec(password.text)?.[1];
    expect(pdfPassword).toBe(PDF_PASSWORD);
    expect(await readPdfText(document.attachments[0]!.content, pdfPassword!)).toContain(CODE);

    for (const id of ids) {
      const row = await storage.outbox.findById(id);
      expect(row).toMatchObject({ status: 'sent', payload: '{}', attempts: 1, lastError: null, lockedUntil: null, sentAt: clock.now().getTime() });
    }
    expect(await worker(transportTo(smtp)).runOnce()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(3);
  });

  it('keeps a mail through an SMTP outage and delivers it exactly once afterwards', async () => {
    const port = await closedPort();
    const w = worker(transportTo(port));
    const id = await queue(approved());
    const t0 = clock.now().getTime();

    expect(await w.runOnce()).toEqual({ sent: 0, retried: 1, failed: 0 });
    let row = (await storage.outbox.findById(id))!;
    expect(row).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: t0 + 30_000, lockedUntil: null });
    expect(row.lastError).toMatch(/ECONNREFUSED|ECONNECTION|ESOCKET/);
    expect(row.lastError).not.toContain(PROVISIONAL);
    expect(JSON.parse(row.payload)).toEqual(approved().data);

    // Not due yet: nothing is attempted.
    clock.advance(29_999);
    expect(await w.runOnce()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect((await storage.outbox.findById(id))!.attempts).toBe(1);

    const smtp = await smtpServer(port);
    clock.advance(1);
    expect(await w.runOnce()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(await w.runOnce()).toEqual({ sent: 0, retried: 0, failed: 0 });
    clock.advance(86_400_000);
    expect(await w.runOnce()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.text).toContain(PROVISIONAL);
    row = (await storage.outbox.findById(id))!;
    expect(row).toMatchObject({ status: 'sent', attempts: 2, payload: '{}', lastError: null });
  });

  it('backs off exponentially, fails after maxAttempts, and sends again on retry', async () => {
    const smtp = await smtpServer();
    smtp.rejectWith({ code: 451, message: 'Mailbox temporarily unavailable' });
    const w = worker(transportTo(smtp), { maxAttempts: 4 });
    const id = await queue(approved());

    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const before = clock.now().getTime();
      expect(await w.runOnce()).toEqual({ sent: 0, retried: 1, failed: 0 });
      const row = (await storage.outbox.findById(id))!;
      expect(row).toMatchObject({ status: 'pending', attempts: attempt });
      delays.push(row.nextAttemptAt - before);
      clock.set(new Date(row.nextAttemptAt));
    }
    expect(delays).toEqual([30_000, 60_000, 120_000]);

    expect(await w.runOnce()).toEqual({ sent: 0, retried: 0, failed: 1 });
    let row = (await storage.outbox.findById(id))!;
    expect(row).toMatchObject({ status: 'failed', attempts: 4 });
    expect(row.lastError).toContain('451');
    expect(row.lastError).toContain('Mailbox temporarily unavailable');
    expect(row.lastError).not.toContain(PROVISIONAL);
    expect(JSON.parse(row.payload)).toEqual(approved().data); // kept for the retry
    expect((await storage.outbox.list('failed')).map((m) => m.id)).toEqual([id]);
    expect(await storage.outbox.count('failed')).toBe(1);

    // Failed stays failed, however long we wait.
    clock.advance(7 * 86_400_000);
    expect(await w.runOnce()).toEqual({ sent: 0, retried: 0, failed: 0 });

    smtp.rejectWith(null);
    expect(await storage.outbox.retry(id, clock.now().getTime())).toBe(true);
    expect(await w.runOnce()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(1);
    row = (await storage.outbox.findById(id))!;
    expect(row).toMatchObject({ status: 'sent', attempts: 1, payload: '{}' });
  });

  it('caps the default backoff at one hour', async () => {
    const port = await closedPort();
    const w = worker(transportTo(port), { maxAttempts: 20 });
    const id = await queue(approved());
    let last = 0;
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      const before = clock.now().getTime();
      await w.runOnce();
      const row = (await storage.outbox.findById(id))!;
      last = row.nextAttemptAt - before;
      clock.set(new Date(row.nextAttemptAt));
    }
    expect(last).toBe(3_600_000);
  });

  it('fails at once a message it cannot render', async () => {
    const smtp = await smtpServer();
    await storage.outbox.enqueue({ id: 'broken-1', recipient: 'a@example.test', template: 'registration.approved', lang: 'fr', payload: '{"givenName":"A"}', createdAt: clock.now().getTime() });
    await storage.outbox.enqueue({ id: 'broken-2', recipient: 'a@example.test', template: 'no.such.template', lang: 'fr', payload: '{}', createdAt: clock.now().getTime() });
    expect(await worker(transportTo(smtp)).runOnce()).toEqual({ sent: 0, retried: 0, failed: 2 });
    expect((await storage.outbox.findById('broken-1'))!.lastError).toMatch(/^render: .*identifier/);
    expect((await storage.outbox.findById('broken-2'))!.lastError).toMatch(/^render: unknown template/);
    expect(smtp.messages).toHaveLength(0);
  });

  it('takes over a message whose worker crashed once the lease runs out', async () => {
    const smtp = await smtpServer();
    const id = await queue(approved());
    // A worker claims it, then dies before sending.
    const [claimed] = await storage.outbox.claimDue(clock.now().getTime(), 10, LEASE);
    expect(claimed).toMatchObject({ id, status: 'sending', attempts: 1 });

    const w = worker(transportTo(smtp));
    expect(await w.runOnce()).toEqual({ sent: 0, retried: 0, failed: 0 });
    clock.advance(LEASE - 1);
    expect(await w.runOnce()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(0);

    clock.advance(1);
    expect(await w.runOnce()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(1);
    expect(await storage.outbox.findById(id)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('delivers each message exactly once with two workers on two connections', async () => {
    const smtp = await smtpServer();
    const other = await openStorage({ databaseUrl, dataDir: dir });
    extra.push(other);
    const count = 35;
    await storage.transaction(async (repos) => {
      for (let n = 0; n < count; n += 1) await enqueueMail(repos, deps(), approved(n));
    });

    const two = new MailWorker({ storage: other, clock, transport: transportTo(smtp), from: FROM, maxAttempts: 8, leaseMs: LEASE });
    // Worker one starts another run of worker two while its own first send is under way, so
    // both hold claims at once; the runs started together race for the same rows.
    const late: Array<Promise<MailRunResult>> = [];
    const direct = transportTo(smtp);
    const kicking: MailTransport = {
      kind: 'smtp',
      close: () => undefined,
      async send(mail) {
        if (late.length === 0) late.push(two.runOnce());
        await direct.send(mail);
      },
    };
    const one = worker(kicking);
    const sentBy = [0, 0];
    const tally = (r: MailRunResult, who: 0 | 1) => {
      expect(r.retried + r.failed).toBe(0);
      sentBy[who]! += r.sent;
    };
    for (let round = 0; round < 5 && sentBy[0]! + sentBy[1]! < count; round += 1) {
      const [a, b, c, d] = await Promise.all([one.runOnce(), two.runOnce(), one.runOnce(), two.runOnce()]);
      tally(a, 0);
      tally(b, 1);
      tally(c, 0);
      tally(d, 1);
      for (const r of await Promise.all(late.splice(0))) tally(r, 1);
    }
    expect(sentBy[0]).toBeGreaterThan(0);
    expect(sentBy[1]).toBeGreaterThan(0);
    expect(sentBy[0]! + sentBy[1]!).toBe(count);
    expect(smtp.messages).toHaveLength(count);
    const recipients = smtp.messages.map((m) => m.to.join(','));
    expect(new Set(recipients).size).toBe(count);
    expect(await storage.outbox.count('sent')).toBe(count);
    expect(await storage.outbox.count('pending')).toBe(0);
    expect((await storage.outbox.list('sent', 100)).every((m) => m.attempts === 1)).toBe(true);
  });

  it('runs in a loop that never overlaps itself, survives errors and stops cleanly', async () => {
    const smtp = await smtpServer();
    const real = storage.outbox;
    let calls = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    let reached: () => void = () => undefined;
    const thirdCall = new Promise<void>((resolve) => (reached = resolve));
    // The first claim fails (database hiccup); later ones go through slowly.
    const outbox = Object.create(real) as typeof real;
    outbox.claimDue = async (now, limit, lease) => {
      calls += 1;
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        if (calls === 1) throw new Error('connection reset');
        await new Promise((resolve) => setTimeout(resolve, 5));
        return await real.claimDue(now, limit, lease);
      } finally {
        inFlight -= 1;
        if (calls >= 3) reached();
      }
    };
    const w = new MailWorker({ storage: { ...storage, outbox }, clock, transport: transportTo(smtp), from: FROM, maxAttempts: 8 });
    await queue(approved());
    w.start(1);
    await smtp.waitFor((m) => m.to.includes('person0@example.test'));
    await thirdCall;
    await w.stop();
    const after = calls;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toBe(after);
    expect(maxInFlight).toBe(1);
    expect(smtp.messages).toHaveLength(1);
  });
});

describe('startMailWorker', () => {
  let dir: string;
  let storage: Storage;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'passerelle-worker-'));
    storage = await openStorage({ databaseUrl: null, dataDir: dir });
    logger.silence(true);
  });
  afterEach(async () => {
    logger.silence(false);
    await storage.close();
    await rm(dir, { recursive: true, force: true });
  });

  const configFor = (smtpUrl: string | null, pollSeconds: number) =>
    loadConfig({ env: { PASSERELLE_DATA_DIR: dir, DATABASE_URL: '' }, overrides: { smtp: { url: smtpUrl, from: 'Plateforme <ne-pas-repondre@esante.localhost>' }, mail: { maxAttempts: 3, pollSeconds } } });

  it('sends over SMTP_URL with the configured sender, polling on its own', async () => {
    const smtp = await startSmtpServer();
    const clock = new ManualClock();
    const worker = startMailWorker({ config: configFor(smtp.url, 0.05), storage, clock });
    try {
      await storage.transaction((repos) => enqueueMail(repos, { clock, random: cryptoRandom }, approved(7)));
      const mail = await smtp.waitFor((m) => m.to.includes('person7@example.test'));
      expect(mail.from).toBe('Plateforme <ne-pas-repondre@esante.localhost>');
      expect(mail.subject).toBe('[Passerelle] Votre compte est créé');
    } finally {
      await worker.stop();
      await smtp.stop();
    }
    expect(smtp.messages).toHaveLength(1);
  });

  it('writes .eml files into the data directory when no SMTP_URL is set', async () => {
    const clock = new ManualClock();
    await storage.transaction((repos) => enqueueMail(repos, { clock, random: cryptoRandom }, approved(8)));
    const worker = startMailWorker({ config: configFor(null, 3600), storage, clock });
    // The loop's first run and this one race for the message; exactly one of them sends it.
    await worker.runOnce();
    await worker.stop();
    const files = (await readdir(path.join(dir, 'mail'))).filter((f) => f.endsWith('.eml'));
    expect(files).toHaveLength(1);
    const mail = parseMail(await readFile(path.join(dir, 'mail', files[0]!)));
    expect(mail.headers.get('to')).toBe('person8@example.test');
    expect(mail.text).toContain(PROVISIONAL);
    expect(await storage.outbox.count('sent')).toBe(1);
  });
});
