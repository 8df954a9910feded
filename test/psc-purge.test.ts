/**
 * The periodic purge of psc_sessions (issue 12), on SQLite and PostgreSQL: rows opened before the
 * sessions' absolute limit plus a day go, ended or not; younger rows stay, ended or not, so a
 * session that can still be valid keeps the row the gateway checks on every request.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../src/config/index.ts';
import { purgePscSessions, pscSessionRetentionMs } from '../src/psc/index.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { openStorage, type Storage } from '../src/storage/index.ts';
import { databaseBackends, dropSchema, freshDatabaseUrl } from './helpers/backends.ts';

const HOUR = 3_600_000;
const ISSUER = 'https://psc.example';

describe.each(databaseBackends())('Pro Santé Connect session purge on $name', ({ url }) => {
  let dir: string;
  let databaseUrl: string | null;
  let storage: Storage;
  let config: Config;
  const clock = new ManualClock(Date.parse('2026-03-02T10:00:00Z'));

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'passerelle-psc-purge-'));
    databaseUrl = url ? await freshDatabaseUrl(url) : null;
    storage = await openStorage({ databaseUrl, dataDir: dir });
    config = loadConfig({ env: { PASSERELLE_DATA_DIR: dir }, overrides: { session: { absoluteTimeoutHours: 12 } } });
    await storage.users.insert({ id: 'u-psc', identifier: 'paul.martin', givenName: 'Paul', familyName: 'Martin', email: 'paul@example.org', establishmentId: null, role: 'clinician', status: 'active', passwordHash: 'x', createdAt: 0 });
  });

  afterEach(async () => {
    await storage.close();
    if (databaseUrl) await dropSchema(databaseUrl);
    await rm(dir, { recursive: true, force: true });
  });

  const open = (id: string, createdAt: number) =>
    storage.pscSessions.open({ id, issuer: ISSUER, pscSid: `sid-${id}`, pscSub: 'psc-sub', userId: 'u-psc', applicationId: 'opendrp', acr: 'eidas1', createdAt });

  it('keeps rows for the absolute session limit plus a day, then deletes them, ended or not', async () => {
    expect(pscSessionRetentionMs(config.session)).toBe((12 + 24) * HOUR);
    const now = clock.now().getTime();
    const cutoff = now - 36 * HOUR;
    await open('old-live', cutoff - 1);
    await open('old-ended', cutoff - 10 * HOUR);
    await storage.pscSessions.end('old-ended', 'back-channel', cutoff - 9 * HOUR);
    await open('at-cutoff', cutoff);
    await open('recent-ended', now - 2 * HOUR);
    await storage.pscSessions.end('recent-ended', 'logout', now - HOUR);
    await open('recent-live', now - HOUR);

    expect(await purgePscSessions({ storage, clock, config })).toBe(2);
    expect(await storage.pscSessions.findById('old-live')).toBeUndefined();
    expect(await storage.pscSessions.findById('old-ended')).toBeUndefined();
    for (const id of ['at-cutoff', 'recent-ended', 'recent-live']) expect((await storage.pscSessions.findById(id))?.id).toBe(id);
    // The ended row stays ended: a purge never revives anything.
    expect((await storage.pscSessions.findById('recent-ended'))?.endedReason).toBe('logout');

    // A second pass finds nothing; an hour later the row at the cut-off goes too.
    expect(await purgePscSessions({ storage, clock, config })).toBe(0);
    clock.advance(HOUR);
    expect(await purgePscSessions({ storage, clock, config })).toBe(1);
    expect(await storage.pscSessions.findById('at-cutoff')).toBeUndefined();
    expect((await storage.pscSessions.findById('recent-live'))?.endedAt).toBeNull();
  });
});
