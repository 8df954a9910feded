import { hashPassword } from '../authentication/password.ts';
import { BadRequestError } from '../shared/errors.ts';
import { parseCsv } from './csv.ts';
import { hashScheme, verifyLegacyHash } from './hashes.ts';
import { cleanLegacyUsername, legacyKey, requireLegacyApplication } from './settings.ts';
import type { LegacyAccount } from '../model/legacy.ts';
import type { LegacyDeps, LegacyActor } from './types.ts';

export interface RejectedRow {
  line: number;
  identifier: string | null;
  reason: string;
}

export interface ImportReport {
  applicationId: string;
  /** False when bad rows stopped the import (nothing was written). */
  applied: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: RejectedRow[];
  ignoredColumns: string[];
}

export interface ImportOptions {
  /** Import the good rows even when some are rejected (default: any bad row stops everything). */
  skipInvalid?: boolean;
}

const IDENTIFIER_COLUMNS = ['identifier', 'username', 'login'];
const KNOWN = new Set([...IDENTIFIER_COLUMNS, 'display_name', 'email', 'password_hash', 'password']);
const CONTROL = /[\u0000-\u001f\u007f]/;

interface Row {
  line: number;
  username: string;
  displayName: string | null;
  email: string | null;
  /** A stored hash, or a clear-text password to hash. */
  hash: string | null;
  password: string | null;
}

function optional(value: string | undefined, max: number): string | null {
  const v = (value ?? '').trim();
  return v ? v.slice(0, max) : null;
}

/** Checks every row; nothing is hashed or written here. */
function readRows(text: string): { rows: Row[]; rejected: RejectedRow[]; ignoredColumns: string[]; total: number } {
  const { header, records } = parseCsv(text);
  const column = (names: string[]) => header.findIndex((h) => names.includes(h));
  const idCol = column(IDENTIFIER_COLUMNS);
  const hashCol = column(['password_hash']);
  const passwordCol = column(['password']);
  if (idCol < 0) throw new BadRequestError('invalid_csv', 'line 1: the header needs an "identifier" column');
  if (hashCol < 0 && passwordCol < 0) throw new BadRequestError('invalid_csv', 'line 1: the header needs a "password_hash" or a "password" column');
  const displayCol = column(['display_name']);
  const emailCol = column(['email']);

  const rows: Row[] = [];
  const rejected: RejectedRow[] = [];
  const seen = new Map<string, number>();
  for (const { line, fields } of records) {
    const get = (index: number) => (index >= 0 ? fields[index] : undefined);
    const username = cleanLegacyUsername(get(idCol) ?? '');
    const reject = (reason: string) => rejected.push({ line, identifier: username || null, reason });
    if (fields.length > header.length) {
      reject(`${fields.length} fields for ${header.length} columns`);
      continue;
    }
    if (!username) {
      reject('identifier is empty');
      continue;
    }
    if (CONTROL.test(username) || /\s/.test(username)) {
      reject('identifier contains spaces or control characters');
      continue;
    }
    const first = seen.get(legacyKey(username));
    if (first !== undefined) {
      reject(`identifier already on line ${first}`);
      continue;
    }
    const hash = (get(hashCol) ?? '').trim();
    const password = get(passwordCol) ?? '';
    if (hash && password) {
      reject('give password_hash or password, not both');
      continue;
    }
    if (!hash && !password) {
      reject('no password_hash and no password');
      continue;
    }
    if (hash && !hashScheme(hash)) {
      reject('password_hash is in no supported format (bcrypt, argon2, PBKDF2, {SSHA})');
      continue;
    }
    const email = optional(get(emailCol), 254);
    if (email && !/^[^\s@]+@[^\s@]+$/.test(email)) {
      reject('email is not an e-mail address');
      continue;
    }
    seen.set(legacyKey(username), line);
    rows.push({ line, username, displayName: optional(get(displayCol), 200), email, hash: hash || null, password: hash ? null : password });
  }
  return { rows, rejected, ignoredColumns: header.filter((h) => !KNOWN.has(h)), total: records.length };
}

/** Runs `fn` over `items`, `width` at a time (argon2 runs on libuv's pool). */
async function mapLimit<T, R>(items: T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      out[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return out;
}

/**
 * `passerelle legacy import --app APP FILE.csv` (directory mode). Upserts by identifier
 * (case-insensitive), so running the same file again changes nothing. A clear-text
 * `password` is hashed with argon2id; an existing hash that already matches it is kept.
 */
export async function importLegacyAccounts(deps: LegacyDeps, applicationId: string, csv: string, actor: LegacyActor, options: ImportOptions = {}): Promise<ImportReport> {
  const app = requireLegacyApplication(deps.config, applicationId);
  if (app.legacy.mode !== 'directory') throw new BadRequestError('not_directory_mode', `application ${applicationId} checks legacy credentials over HTTP: there is nothing to import`);
  const { rows, rejected, ignoredColumns, total } = readRows(csv);
  const report: ImportReport = { applicationId, applied: false, rows: total, created: 0, updated: 0, unchanged: 0, rejected, ignoredColumns };
  if (rejected.length > 0 && !options.skipInvalid) return report;

  // Slow hashing outside the transaction.
  const reader = deps.storage.legacy;
  const hashes = await mapLimit(rows, 4, async (row) => {
    if (row.hash) return row.hash;
    const existing = await reader.account(app.id, row.username);
    if (existing && (await verifyLegacyHash(existing.passwordHash, row.password!))) return existing.passwordHash;
    return hashPassword(row.password!);
  });

  await deps.storage.transaction(async (repos) => {
    const legacy = repos.legacy;
    const now = deps.clock.now().getTime();
    for (const [index, row] of rows.entries()) {
      const fields = { username: row.username, displayName: row.displayName, email: row.email, passwordHash: hashes[index]! };
      const existing = await legacy.account(app.id, row.username);
      if (!existing) {
        const account: LegacyAccount = { id: deps.random.uuid(), applicationId: app.id, ...fields, importedAt: now, updatedAt: now };
        await legacy.insertAccount(account);
        report.created += 1;
      } else if (existing.username !== fields.username || existing.displayName !== fields.displayName || existing.email !== fields.email || existing.passwordHash !== fields.passwordHash) {
        await legacy.updateAccount(existing.id, fields, now);
        report.updated += 1;
      } else report.unchanged += 1;
    }
    report.applied = true;
    await deps.auditor.with(repos.audit).record({
      action: 'legacy.import',
      outcome: 'success',
      actor: actor.name,
      ip: actor.ip ?? null, certificateSerial: actor.certificateSerial ?? null,
      applicationId: app.id,
      details: { rows: total, created: report.created, updated: report.updated, unchanged: report.unchanged, rejected: rejected.length },
    });
  });
  return report;
}
