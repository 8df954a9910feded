/**
 * The storage layer, one suite for both dialects: SQLite always, PostgreSQL when
 * DATABASE_URL is set (each case gets its own schema). Times are plain numbers (epoch ms);
 * nothing here sleeps.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStorage, type Storage, type StorageOptions } from '../src/storage/index.ts';
import type { CertificateRecord, Establishment } from '../src/model/index.ts';
import type { NewUser } from '../src/storage/repositories/users.ts';
import { loadMigrations } from '../src/storage/migrations.ts';
import { databaseBackends, dropSchema, freshDatabaseUrl } from './helpers/backends.ts';

const T0 = Date.UTC(2026, 0, 15, 9, 0, 0);
const MAX_FAILURES = 5;

function user(overrides: Partial<NewUser> = {}): NewUser {
  const identifier = overrides.identifier ?? 'helene.lefevre';
  return {
    id: `u-${identifier}`,
    identifier,
    givenName: 'Hélène',
    familyName: 'Lefèvre',
    email: `${identifier}@example.test`,
    establishmentId: null,
    role: 'clinician',
    status: 'active',
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo',
    createdAt: T0,
    ...overrides,
  };
}

function establishment(overrides: Partial<Establishment> = {}): Establishment {
  return {
    id: 'e-chu',
    name: 'CHU de Rennes',
    finess: '350005179',
    referentEmail: 'referent@chu.example.test',
    createdAt: T0,
    ...overrides,
  };
}

type NewCertificate = Omit<CertificateRecord, 'status' | 'revokedAt' | 'revocationReason'>;

function certificate(overrides: Partial<NewCertificate> = {}): NewCertificate {
  return {
    serial: '0a1b2c3d4e5f',
    fingerprintSha256: 'ab'.repeat(32),
    kind: 'personal',
    userId: 'u-helene.lefevre',
    establishmentId: null,
    label: 'Cabinet — poste accueil',
    subject: 'CN=helene.lefevre',
    notBefore: T0,
    notAfter: T0 + 365 * 86_400_000,
    pem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    createdAt: T0,
    ...overrides,
  };
}

describe.each(databaseBackends())('storage on $name', (backend) => {
  let target: StorageOptions;
  let storage: Storage;
  let cleanups: Array<() => Promise<void>> = [];

  /** Another handle on the same database (a second replica, a restart). */
  async function reopen(): Promise<Storage> {
    const other = await openStorage(target);
    cleanups.push(() => other.close());
    return other;
  }

  beforeEach(async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'passerelle-storage-'));
    const databaseUrl = backend.url ? await freshDatabaseUrl(backend.url) : null;
    target = { databaseUrl, dataDir };
    cleanups = [
      () => rm(dataDir, { recursive: true, force: true }),
      ...(databaseUrl ? [() => dropSchema(databaseUrl)] : []),
    ];
    storage = await openStorage(target);
    cleanups.push(() => storage.close());
  });

  afterEach(async () => {
    // Newest first: handles close before the schema and directory go.
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('uses the dialect asked for', () => {
    expect(storage.db.dialect).toBe(backend.name);
  });

  describe('migrations', () => {
    const expected = loadMigrations(backend.name).map((m) => ({ version: m.version, name: m.name }));

    it('applies every numbered migration once and records it in schema_migrations', async () => {
      expect(expected.length).toBeGreaterThan(0);
      expect(expected[0]).toEqual({ version: 1, name: 'foundation' });
      const rows = await storage.db.all<{ version: number; name: string; applied_at: number }>(
        'SELECT version, name, applied_at FROM schema_migrations ORDER BY version',
      );
      expect(rows.map((r) => ({ version: Number(r.version), name: r.name }))).toEqual(expected);
      for (const row of rows) expect(typeof row.applied_at).toBe('number');
    });

    it('is idempotent: migrating again or reopening applies nothing and keeps the data', async () => {
      await storage.establishments.insert(establishment());
      expect(await storage.db.migrate()).toEqual([]);
      await storage.close();
      cleanups.pop();
      storage = await reopen();
      expect(await storage.db.migrate()).toEqual([]);
      const rows = await storage.db.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => Number(r.version))).toEqual(expected.map((m) => m.version));
      expect(await storage.establishments.findById('e-chu')).toMatchObject({ name: 'CHU de Rennes' });
    });

    // Replicas sharing one database exist only on PostgreSQL (SQLite is one process's file).
    if (backend.name === 'postgres') it('two replicas starting at once on a fresh database migrate it once', async () => {
      const fresh: StorageOptions = {
        dataDir: await mkdtemp(path.join(tmpdir(), 'passerelle-storage-')),
        databaseUrl: backend.url ? await freshDatabaseUrl(backend.url) : null,
      };
      cleanups.push(() => rm(fresh.dataDir, { recursive: true, force: true }));
      if (fresh.databaseUrl) cleanups.push(() => dropSchema(fresh.databaseUrl!));
      const opened = await Promise.allSettled([openStorage(fresh), openStorage(fresh)]);
      for (const result of opened) if (result.status === 'fulfilled') cleanups.push(() => result.value.close());
      expect(opened.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
      const first = (opened[0] as PromiseFulfilledResult<Storage>).value;
      const rows = await first.db.all<{ version: number }>('SELECT version FROM schema_migrations');
      expect(rows).toHaveLength(expected.length);
    });
  });

  describe('users', () => {
    it('inserts a user and finds it by id and by identifier', async () => {
      await storage.users.insert(user());
      const found = await storage.users.findById('u-helene.lefevre');
      // toMatchObject: later migrations add columns; these are the ones this layer started with.
      expect(found).toMatchObject({
        ...user(),
        failedLogins: 0,
        lockedAt: null,
        lastLoginAt: null,
        lastLoginIp: null,
        updatedAt: T0,
      });
      expect(typeof found?.createdAt).toBe('number');
      expect(await storage.users.findByIdentifier('helene.lefevre')).toEqual(found);
      expect(await storage.users.findById('nobody')).toBeUndefined();
      expect(await storage.users.findByIdentifier('nobody')).toBeUndefined();
    });

    it('looks identifiers up case-insensitively, ignoring surrounding blanks', async () => {
      await storage.users.insert(user());
      expect((await storage.users.findByIdentifier('Helene.Lefevre'))?.id).toBe('u-helene.lefevre');
      expect((await storage.users.findByIdentifier('  HELENE.LEFEVRE ')))?.toMatchObject({ id: 'u-helene.lefevre' });
    });

    it('keeps identifiers unique', async () => {
      await storage.users.insert(user());
      await expect(storage.users.insert(user({ id: 'u-other' }))).rejects.toThrow();
      expect(await storage.users.findById('u-other')).toBeUndefined();
    });

    it('stores identifiers lower case, so an identifier given in capitals is still found', async () => {
      // The repository promises "identifiers are stored lower case; lookups are case-insensitive".
      await storage.users.insert(user({ id: 'u-jean', identifier: 'Jean.Dupont' }));
      expect((await storage.users.findByIdentifier('Jean.Dupont'))?.id).toBe('u-jean');
      expect((await storage.users.findByIdentifier('jean.dupont'))?.identifier).toBe('jean.dupont');
    });

    it('identifiersLike returns the base and its -N variants only', async () => {
      for (const identifier of ['jean.martin', 'jean.martin-2', 'jean.martin-3', 'jean.martinez', 'jean.martin2', 'jean.marti', 'paul.martin-2']) {
        await storage.users.insert(user({ identifier }));
      }
      expect((await storage.users.identifiersLike('jean.martin')).sort()).toEqual(['jean.martin', 'jean.martin-2', 'jean.martin-3']);
      expect(await storage.users.identifiersLike('anne.roux')).toEqual([]);
    });

    it('identifiersLike treats LIKE wildcards in the base literally', async () => {
      for (const identifier of ['a_b', 'axb', 'axb-2', 'a%b-2', 'azzb-2']) await storage.users.insert(user({ identifier }));
      expect((await storage.users.identifiersLike('a_b')).sort()).toEqual(['a_b']);
      expect((await storage.users.identifiersLike('a%b')).sort()).toEqual(['a%b-2']);
    });

    it('recordFailure locks the account exactly at the fifth failure', async () => {
      await storage.users.insert(user());
      for (let n = 1; n < MAX_FAILURES; n += 1) {
        expect(await storage.users.recordFailure('u-helene.lefevre', MAX_FAILURES, T0 + n)).toEqual({ failedLogins: n, status: 'active' });
      }
      expect((await storage.users.findById('u-helene.lefevre'))?.lockedAt).toBeNull();
      expect(await storage.users.recordFailure('u-helene.lefevre', MAX_FAILURES, T0 + 5)).toEqual({ failedLogins: 5, status: 'locked' });
      expect(await storage.users.findById('u-helene.lefevre')).toMatchObject({ status: 'locked', lockedAt: T0 + 5, failedLogins: 5, updatedAt: T0 + 5 });
      // Further failures count but do not move the lock time.
      expect(await storage.users.recordFailure('u-helene.lefevre', MAX_FAILURES, T0 + 6)).toEqual({ failedLogins: 6, status: 'locked' });
      expect((await storage.users.findById('u-helene.lefevre'))?.lockedAt).toBe(T0 + 5);
    });

    it('recordFailure locks a provisional account too, but never a deactivated one, and ignores unknown ids', async () => {
      await storage.users.insert(user({ identifier: 'p.one', status: 'provisional' }));
      await storage.users.insert(user({ identifier: 'd.one', status: 'deactivated' }));
      for (let n = 1; n <= MAX_FAILURES; n += 1) {
        await storage.users.recordFailure('u-p.one', MAX_FAILURES, T0);
        await storage.users.recordFailure('u-d.one', MAX_FAILURES, T0);
      }
      expect(await storage.users.findById('u-p.one')).toMatchObject({ status: 'locked', failedLogins: 5 });
      expect(await storage.users.findById('u-d.one')).toMatchObject({ status: 'deactivated', lockedAt: null });
      expect(await storage.users.recordFailure('nobody', MAX_FAILURES, T0)).toBeUndefined();
    });

    it('counts concurrent failures each exactly once', async () => {
      await storage.users.insert(user());
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => storage.users.recordFailure('u-helene.lefevre', MAX_FAILURES, T0 + i)));
      const counts = results.map((r) => r!.failedLogins).sort((a, b) => a - b);
      expect(counts).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      for (const r of results) expect(r!.status).toBe(r!.failedLogins >= MAX_FAILURES ? 'locked' : 'active');
      expect(await storage.users.findById('u-helene.lefevre')).toMatchObject({ failedLogins: 10, status: 'locked' });
    });

    it('recordSuccess resets the counter and records the last login', async () => {
      await storage.users.insert(user());
      for (let n = 0; n < MAX_FAILURES - 1; n += 1) await storage.users.recordFailure('u-helene.lefevre', MAX_FAILURES, T0);
      await storage.users.recordSuccess('u-helene.lefevre', '203.0.113.7', T0 + 1000);
      expect(await storage.users.findById('u-helene.lefevre')).toMatchObject({
        failedLogins: 0,
        status: 'active',
        lastLoginAt: T0 + 1000,
        lastLoginIp: '203.0.113.7',
      });
      // The count starts again: four more failures do not lock.
      for (let n = 0; n < MAX_FAILURES - 1; n += 1) await storage.users.recordFailure('u-helene.lefevre', MAX_FAILURES, T0);
      expect((await storage.users.findById('u-helene.lefevre'))?.status).toBe('active');
    });

    it('unlock restores the previous status once, and only from locked', async () => {
      await storage.users.insert(user());
      await storage.users.insert(user({ identifier: 'p.one', status: 'provisional' }));
      expect(await storage.users.unlock('u-helene.lefevre', T0, 'active')).toBe(false);
      for (let n = 0; n < MAX_FAILURES; n += 1) {
        await storage.users.recordFailure('u-helene.lefevre', MAX_FAILURES, T0);
        await storage.users.recordFailure('u-p.one', MAX_FAILURES, T0);
      }
      expect(await storage.users.unlock('u-helene.lefevre', T0 + 60_000, 'active')).toBe(true);
      expect(await storage.users.findById('u-helene.lefevre')).toMatchObject({ status: 'active', failedLogins: 0, lockedAt: null, updatedAt: T0 + 60_000 });
      expect(await storage.users.unlock('u-helene.lefevre', T0 + 60_000, 'active')).toBe(false);
      expect(await storage.users.unlock('u-p.one', T0, 'provisional')).toBe(true);
      expect((await storage.users.findById('u-p.one'))?.status).toBe('provisional');
    });

    it('sets status and password hash', async () => {
      await storage.users.insert(user());
      expect(await storage.users.setStatus('u-helene.lefevre', 'deactivated', T0 + 1)).toBe(true);
      expect(await storage.users.setStatus('nobody', 'active', T0 + 1)).toBe(false);
      await storage.users.setPassword('u-helene.lefevre', 'new-hash', T0 + 2);
      expect(await storage.users.findById('u-helene.lefevre')).toMatchObject({ status: 'deactivated', passwordHash: 'new-hash', updatedAt: T0 + 2 });
    });

    it('refuses a role or status outside the lists and an unknown establishment', async () => {
      await expect(storage.users.insert(user({ role: 'admin' as never }))).rejects.toThrow();
      await expect(storage.users.insert(user({ status: 'banned' as never }))).rejects.toThrow();
      await expect(storage.users.insert(user({ establishmentId: 'e-nowhere' }))).rejects.toThrow();
      expect(await storage.users.findById('u-helene.lefevre')).toBeUndefined();
    });
  });

  describe('establishments', () => {
    it('inserts, finds by id and FINESS, lists by name, keeps FINESS unique', async () => {
      await storage.establishments.insert(establishment());
      await storage.establishments.insert(establishment({ id: 'e-cabinet', name: 'Cabinet Bellevue', finess: null }));
      await storage.establishments.insert(establishment({ id: 'e-cabinet2', name: 'Cabinet Aubépine', finess: null }));
      expect(await storage.establishments.findById('e-chu')).toEqual(establishment());
      expect((await storage.establishments.findByFiness('350005179'))?.id).toBe('e-chu');
      expect(await storage.establishments.findByFiness('000000000')).toBeUndefined();
      expect((await storage.establishments.list()).map((e) => e.id)).toEqual(['e-chu', 'e-cabinet2', 'e-cabinet']);
      await expect(storage.establishments.insert(establishment({ id: 'e-dup' }))).rejects.toThrow();
    });
  });

  describe('certificates', () => {
    beforeEach(async () => {
      await storage.establishments.insert(establishment());
      await storage.users.insert(user());
    });

    it('inserts a personal certificate and finds it by fingerprint and serial, in any case', async () => {
      await storage.certificates.insert(certificate());
      const expected = { ...certificate(), status: 'valid', revokedAt: null, revocationReason: null };
      expect(await storage.certificates.findByFingerprint('ab'.repeat(32))).toMatchObject(expected);
      expect(await storage.certificates.findByFingerprint('AB'.repeat(32))).toMatchObject(expected);
      expect(await storage.certificates.findBySerial('0A1B2C3D4E5F')).toMatchObject(expected);
      expect(await storage.certificates.findBySerial('ff')).toBeUndefined();
      expect((await storage.certificates.listByUser('u-helene.lefevre')).map((c) => c.serial)).toEqual(['0a1b2c3d4e5f']);
    });

    it('refuses a second certificate with the same fingerprint or serial', async () => {
      await storage.certificates.insert(certificate());
      await expect(storage.certificates.insert(certificate({ serial: '99' }))).rejects.toThrow();
      await expect(storage.certificates.insert(certificate({ fingerprintSha256: 'cd'.repeat(32) }))).rejects.toThrow();
    });

    it('a certificate stored with an upper-case serial and fingerprint can still be found and revoked', async () => {
      // findBySerial/findByFingerprint/revoke lower-case their argument, so insert must store lower case.
      await storage.certificates.insert(certificate({ serial: 'ABCDEF01', fingerprintSha256: 'EF'.repeat(32) }));
      expect((await storage.certificates.findBySerial('ABCDEF01'))?.serial).toBe('abcdef01');
      expect((await storage.certificates.findByFingerprint('EF'.repeat(32)))?.fingerprintSha256).toBe('ef'.repeat(32));
      expect(await storage.certificates.revoke('ABCDEF01', 'keyCompromise', T0)).toBe(true);
    });

    it('revokes once: the first revocation stands', async () => {
      await storage.certificates.insert(certificate());
      expect(await storage.certificates.revoke('0a1b2c3d4e5f', 'keyCompromise', T0 + 10)).toBe(true);
      expect(await storage.certificates.revoke('0a1b2c3d4e5f', 'superseded', T0 + 20)).toBe(false);
      expect(await storage.certificates.revoke('0A1B2C3D4E5F', 'superseded', T0 + 20)).toBe(false);
      expect(await storage.certificates.revoke('ff', 'superseded', T0 + 20)).toBe(false);
      expect(await storage.certificates.findBySerial('0a1b2c3d4e5f')).toMatchObject({
        status: 'revoked',
        revokedAt: T0 + 10,
        revocationReason: 'keyCompromise',
      });
      expect(await storage.certificates.listRevoked()).toEqual([{ serial: '0a1b2c3d4e5f', revokedAt: T0 + 10, revocationReason: 'keyCompromise' }]);
    });

    it('concurrent revocations: exactly one wins', async () => {
      await storage.certificates.insert(certificate());
      const wins = await Promise.all(Array.from({ length: 5 }, (_, i) => storage.certificates.revoke('0a1b2c3d4e5f', `reason-${i}`, T0 + i)));
      expect(wins.filter(Boolean)).toHaveLength(1);
    });

    it('a collective certificate names an establishment and never a person', async () => {
      const collective = certificate({ serial: 'c0', fingerprintSha256: 'c0'.repeat(32), kind: 'collective', userId: null, establishmentId: 'e-chu' });
      await storage.certificates.insert(collective);
      expect((await storage.certificates.listByEstablishment('e-chu')).map((c) => c.serial)).toEqual(['c0']);
      await expect(
        storage.certificates.insert(certificate({ serial: 'c1', fingerprintSha256: 'c1'.repeat(32), kind: 'collective', userId: 'u-helene.lefevre', establishmentId: 'e-chu' })),
      ).rejects.toThrow();
      await expect(
        storage.certificates.insert(certificate({ serial: 'c2', fingerprintSha256: 'c2'.repeat(32), kind: 'collective', userId: null, establishmentId: null })),
      ).rejects.toThrow();
      await expect(storage.certificates.insert(certificate({ serial: 'p1', fingerprintSha256: 'd1'.repeat(32), userId: null }))).rejects.toThrow();
      expect(await storage.certificates.findBySerial('c1')).toBeUndefined();
      expect(await storage.certificates.findBySerial('c2')).toBeUndefined();
      expect(await storage.certificates.findBySerial('p1')).toBeUndefined();
    });
  });

  describe('grants', () => {
    beforeEach(() => storage.users.insert(user()));

    it('grants, revokes and grants again', async () => {
      expect(await storage.grants.isGranted('u-helene.lefevre', 'opendrp')).toBe(false);
      await storage.grants.grant('u-helene.lefevre', 'opendrp', T0);
      await storage.grants.grant('u-helene.lefevre', 'labo', T0);
      expect(await storage.grants.isGranted('u-helene.lefevre', 'opendrp')).toBe(true);
      expect(await storage.grants.revoke('u-helene.lefevre', 'opendrp', T0 + 1)).toBe(true);
      expect(await storage.grants.revoke('u-helene.lefevre', 'opendrp', T0 + 2)).toBe(false);
      expect(await storage.grants.isGranted('u-helene.lefevre', 'opendrp')).toBe(false);
      expect(await storage.grants.isGranted('u-helene.lefevre', 'labo')).toBe(true);
      await storage.grants.grant('u-helene.lefevre', 'opendrp', T0 + 3);
      expect(await storage.grants.isGranted('u-helene.lefevre', 'opendrp')).toBe(true);
      expect(await storage.grants.listByUser('u-helene.lefevre')).toEqual([
        { userId: 'u-helene.lefevre', applicationId: 'labo', status: 'granted', createdAt: T0, updatedAt: T0 },
        { userId: 'u-helene.lefevre', applicationId: 'opendrp', status: 'granted', createdAt: T0, updatedAt: T0 + 3 },
      ]);
      expect(await storage.grants.revoke('u-helene.lefevre', 'never-granted', T0)).toBe(false);
    });

    it('refuses a grant for an unknown user', async () => {
      await expect(storage.grants.grant('nobody', 'opendrp', T0)).rejects.toThrow();
    });
  });

  describe('CRLs', () => {
    it('numbers CRLs and refuses a duplicate number', async () => {
      expect(await storage.crls.latest()).toBeUndefined();
      expect(await storage.crls.nextNumber()).toBe(1);
      const der = new Uint8Array([0x30, 0x82, 0x00, 0x00, 0xff, 0x00, 0x7f]);
      await storage.crls.insert({ number: 1, der, thisUpdate: T0, nextUpdate: T0 + 3_600_000 });
      expect(await storage.crls.nextNumber()).toBe(2);
      await expect(storage.crls.insert({ number: 1, der: new Uint8Array([1]), thisUpdate: T0 + 1, nextUpdate: T0 + 2 })).rejects.toThrow();
      const latest = await storage.crls.latest();
      expect(latest).toMatchObject({ number: 1, thisUpdate: T0, nextUpdate: T0 + 3_600_000 });
      expect(latest?.der).toBeInstanceOf(Uint8Array);
      expect(Array.from(latest!.der)).toEqual(Array.from(der));
      await storage.crls.insert({ number: 2, der: new Uint8Array([2]), thisUpdate: T0 + 10, nextUpdate: T0 + 20 });
      expect((await storage.crls.latest())?.number).toBe(2);
      expect(await storage.crls.nextNumber()).toBe(3);
    });
  });

  describe('audit', () => {
    async function seed(): Promise<void> {
      await storage.audit.append({ action: 'login', outcome: 'failure', reason: 'bad_password', actor: 'helene.lefevre', subject: 'helene.lefevre', ip: '203.0.113.7' }, T0);
      await storage.audit.append({ action: 'login', outcome: 'success', actor: 'helene.lefevre', subject: 'helene.lefevre', ip: '203.0.113.7', certificateSerial: '0a1b' }, T0 + 1000);
      await storage.audit.append(
        { action: 'grant', outcome: 'success', actor: 'coord', subject: 'helene.lefevre', applicationId: 'opendrp', details: { note: 'accès validé', n: 2 } },
        T0 + 2000,
      );
      await storage.audit.append({ action: 'login', outcome: 'success', actor: 'jean.dupont', subject: 'jean.dupont', ip: '198.51.100.1' }, T0 + 3000);
    }

    it('appends and lists newest first, with every field', async () => {
      await seed();
      const all = await storage.audit.list();
      expect(all.map((e) => e.at)).toEqual([T0 + 3000, T0 + 2000, T0 + 1000, T0]);
      expect(all[0]!.id).toBeGreaterThan(all[1]!.id);
      expect(all[1]).toMatchObject({
        id: all[1]!.id,
        at: T0 + 2000,
        action: 'grant',
        outcome: 'success',
        reason: null,
        actor: 'coord',
        ip: null,
        certificateSerial: null,
        applicationId: 'opendrp',
        subject: 'helene.lefevre',
        details: { note: 'accès validé', n: 2 },
      });
      expect(all[2]).toMatchObject({ certificateSerial: '0a1b', details: null });
    });

    it('filters by action, subject, actor, application, ip, time window and limit', async () => {
      await seed();
      const ats = async (filter: Parameters<Storage['audit']['list']>[0]) => (await storage.audit.list(filter)).map((e) => e.at);
      expect(await ats({ action: 'login' })).toEqual([T0 + 3000, T0 + 1000, T0]);
      expect(await ats({ subject: 'helene.lefevre' })).toEqual([T0 + 2000, T0 + 1000, T0]);
      expect(await ats({ action: 'login', subject: 'helene.lefevre' })).toEqual([T0 + 1000, T0]);
      expect(await ats({ actor: 'coord' })).toEqual([T0 + 2000]);
      expect(await ats({ applicationId: 'opendrp' })).toEqual([T0 + 2000]);
      expect(await ats({ ip: '203.0.113.7' })).toEqual([T0 + 1000, T0]);
      // since is inclusive, until exclusive.
      expect(await ats({ since: T0 + 1000 })).toEqual([T0 + 3000, T0 + 2000, T0 + 1000]);
      expect(await ats({ until: T0 + 2000 })).toEqual([T0 + 1000, T0]);
      expect(await ats({ since: T0 + 1000, until: T0 + 3000 })).toEqual([T0 + 2000, T0 + 1000]);
      expect(await ats({ limit: 2 })).toEqual([T0 + 3000, T0 + 2000]);
      expect(await ats({ action: 'login', limit: 1 })).toEqual([T0 + 3000]);
      expect(await ats({ action: 'nothing' })).toEqual([]);
    });

    it('refuses UPDATE and DELETE on audit_events', async () => {
      await seed();
      await expect(storage.db.run("UPDATE audit_events SET outcome = 'success' WHERE action = ?", ['login'])).rejects.toThrow(/append-only/);
      await expect(storage.db.run('DELETE FROM audit_events WHERE action = ?', ['grant'])).rejects.toThrow(/append-only/);
      await expect(storage.db.run('DELETE FROM audit_events')).rejects.toThrow(/append-only/);
      if (storage.db.dialect === 'postgres') await expect(storage.db.run('TRUNCATE audit_events')).rejects.toThrow(/append-only/);
      const all = await storage.audit.list();
      expect(all).toHaveLength(4);
      expect(all.filter((e) => e.outcome === 'failure')).toHaveLength(1);
    });
  });

  describe('transactions', () => {
    it('commits what the body wrote and returns its value', async () => {
      const value = await storage.transaction(async (repos) => {
        await repos.establishments.insert(establishment());
        await repos.users.insert(user({ establishmentId: 'e-chu' }));
        return 42;
      });
      expect(value).toBe(42);
      expect((await storage.users.findById('u-helene.lefevre'))?.establishmentId).toBe('e-chu');
    });

    it('a body that throws leaves nothing behind', async () => {
      const boom = new Error('boom');
      await expect(
        storage.transaction(async (repos) => {
          await repos.establishments.insert(establishment());
          await repos.users.insert(user());
          await repos.certificates.insert(certificate());
          await repos.grants.grant('u-helene.lefevre', 'opendrp', T0);
          await repos.audit.append({ action: 'user.create', outcome: 'success' }, T0);
          // Reads inside the transaction see its own writes.
          expect(await repos.users.findById('u-helene.lefevre')).toBeDefined();
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(await storage.establishments.findById('e-chu')).toBeUndefined();
      expect(await storage.users.findById('u-helene.lefevre')).toBeUndefined();
      expect(await storage.certificates.findBySerial('0a1b2c3d4e5f')).toBeUndefined();
      expect(await storage.grants.isGranted('u-helene.lefevre', 'opendrp')).toBe(false);
      expect(await storage.audit.list()).toEqual([]);
    });

    it('a constraint violation half-way rolls back the earlier statements', async () => {
      await storage.users.insert(user());
      await expect(
        storage.transaction(async (repos) => {
          await repos.establishments.insert(establishment());
          await repos.users.insert(user({ id: 'u-dup' })); // same identifier
        }),
      ).rejects.toThrow();
      expect(await storage.establishments.findById('e-chu')).toBeUndefined();
      // The handle is still usable afterwards.
      await storage.establishments.insert(establishment());
      expect(await storage.establishments.findById('e-chu')).toBeDefined();
    });

    it('a rollback does not take a concurrent write made outside the transaction with it', async () => {
      // Request A runs a transaction that waits (hashing, rendering…); meanwhile request B
      // appends an audit event through the plain handle. A then fails: B's event must stay.
      let release!: () => void;
      const paused = new Promise<void>((resolve) => (release = resolve));
      let inside!: () => void;
      const started = new Promise<void>((resolve) => (inside = resolve));
      const a = storage.transaction(async (repos) => {
        await repos.establishments.insert(establishment());
        inside();
        await paused;
        throw new Error('A fails');
      });
      await started;
      const b = storage.audit.append({ action: 'login', outcome: 'success', subject: 'jean.dupont' }, T0);
      // B may wait for A (SQLite serialises) or not (PostgreSQL); either way it must land.
      setTimeout(release, 50);
      await expect(a).rejects.toThrow('A fails');
      await b;
      expect(await storage.establishments.findById('e-chu')).toBeUndefined();
      expect((await storage.audit.list()).map((e) => e.subject)).toEqual(['jean.dupont']);
    });

    it('concurrent transactions commit or roll back each on its own', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) =>
          storage.transaction(async (repos) => {
            await repos.users.insert(user({ identifier: `user.${i}` }));
            await repos.audit.append({ action: 'user.create', outcome: 'success', subject: `user.${i}` }, T0 + i);
            if (i % 2 === 1) throw new Error(`fail ${i}`);
          }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled', 'rejected']);
      for (let i = 0; i < 6; i += 1) {
        if (i % 2 === 0) expect(await storage.users.findByIdentifier(`user.${i}`)).toBeDefined();
        else expect(await storage.users.findByIdentifier(`user.${i}`)).toBeUndefined();
      }
      expect((await storage.audit.list()).map((e) => e.subject).sort()).toEqual(['user.0', 'user.2', 'user.4']);
    });
  });
});
