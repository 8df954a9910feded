import { watch, type FSWatcher } from 'node:fs';
import { readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { JWK } from 'jose';
import { systemClock, type Clock } from '../shared/clock.ts';
import { MAX_ASSERTION_TTL_SECONDS } from './assertion.ts';
import { createPemOnce, loadOrCreateSigningKey as loadOrCreateFirstKey, SIGNING_KEY_FILE, signingKeyFromPem, type SigningKey } from './signing-key.ts';

/**
 * Signing-key rotation. Keys are files beside the CA material, shared by every replica:
 * `assertion-es256.key.pem` (the first key) and `assertion-es256.<created ms>.key.pem` (one per
 * `passerelle keys rotate`). The newest signs; an older key is retired when its successor is created and
 * stays in the JWKS until every assertion it signed has expired (assertion lifetime + a clock-skew
 * margin), then it is no longer published and the next rotation deletes its file.
 */
const ROTATED_FILE = /^assertion-es256\.(\d{1,16})\.key\.pem$/;

/** Verifiers may tolerate some clock skew: a retired key stays published this much longer. */
export const PUBLICATION_MARGIN_SECONDS = 60;

interface KeyEntry {
  file: string;
  /** Creation time from the file name; 0 for the first key. */
  createdAt: number;
  key: SigningKey;
}

export interface SigningKeyStatus {
  kid: string;
  file: string;
  createdAt: number | null;
  state: 'current' | 'retired' | 'expired';
  /** When a retired key leaves the JWKS; null for the current key. */
  publishedUntil: number | null;
}

export function rotatedKeyFile(createdAt: number): string {
  return `assertion-es256.${createdAt}.key.pem`;
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

/** `fallback` when the file system says ENOENT (a file removed by a concurrent rotation), else the error. */
function unlessMissing<T>(fallback: T): (error: unknown) => T {
  return (error) => {
    if (isErrno(error, 'ENOENT')) return fallback;
    throw error;
  };
}

/** Every key file in `dir`, oldest first; a file removed meanwhile (rotation by another process) is skipped. */
async function readEntries(dir: string): Promise<KeyEntry[]> {
  const names = await readdir(dir).catch(unlessMissing<string[]>([]));
  const files = names
    .map((file) => ({ file, createdAt: file === SIGNING_KEY_FILE ? 0 : Number(ROTATED_FILE.exec(file)?.[1] ?? Number.NaN) }))
    .filter((f) => Number.isFinite(f.createdAt))
    .sort((a, b) => a.createdAt - b.createdAt);
  const entries: KeyEntry[] = [];
  for (const { file, createdAt } of files) {
    const path = join(dir, file);
    const pem = await readFile(path, 'utf8').catch(unlessMissing<string | null>(null));
    if (pem !== null) entries.push({ file, createdAt, key: await signingKeyFromPem(pem, path) });
  }
  return entries;
}

/** Until when the key at `index` is published: null for the newest; else its successor's creation + lifetime + margin. */
function publishedUntil(entries: KeyEntry[], index: number, ttlSeconds: number): number | null {
  const successor = entries[index + 1];
  return successor ? successor.createdAt + (ttlSeconds + PUBLICATION_MARGIN_SECONDS) * 1000 : null;
}

function statuses(entries: KeyEntry[], ttlSeconds: number, now: number): SigningKeyStatus[] {
  return entries.map((entry, index) => {
    const until = publishedUntil(entries, index, ttlSeconds);
    const state = until === null ? 'current' : now < until ? 'retired' : 'expired';
    return { kid: entry.key.kid, file: entry.file, createdAt: entry.createdAt || null, state, publishedUntil: until };
  });
}

export interface KeyRingOptions {
  /** Assertion lifetime (config assertion.ttlSeconds); defaults to the longest allowed. */
  assertionTtlSeconds?: number;
  clock?: Clock;
  /** Follow rotations made by `passerelle keys rotate` (or another replica) without a restart. Default true. */
  watch?: boolean;
}

/**
 * The keys of a directory, seen as one SigningKey: `kid`/`privateKey`/`publicJwk` are the newest key's
 * (so signAssertion signs with it), `publishedKeys()` is what the JWKS lists. The directory is watched, so
 * a rotation reaches running replicas; `reload()` does the same on demand.
 */
export class SigningKeyRing implements SigningKey {
  #entries: KeyEntry[];
  #reloading: Promise<void> | null = null;
  #again = false;
  #watcher: FSWatcher | null = null;

  constructor(
    readonly dir: string,
    entries: KeyEntry[],
    private readonly ttlSeconds: number,
    private readonly clock: Clock,
  ) {
    if (entries.length === 0) throw new Error(`no signing key in ${dir}`);
    this.#entries = entries;
  }

  get #current(): SigningKey {
    return this.#entries.at(-1)!.key;
  }

  get privateKey(): SigningKey['privateKey'] {
    return this.#current.privateKey;
  }

  get publicJwk(): JWK {
    return this.#current.publicJwk;
  }

  get kid(): string {
    return this.#current.kid;
  }

  /** The current key and the retired ones whose assertions may still be live. */
  publishedKeys(): SigningKey[] {
    const now = this.clock.now().getTime();
    return this.#entries.filter((_, index) => {
      const until = publishedUntil(this.#entries, index, this.ttlSeconds);
      return until === null || now < until;
    }).map((entry) => entry.key);
  }

  status(): SigningKeyStatus[] {
    return statuses(this.#entries, this.ttlSeconds, this.clock.now().getTime());
  }

  /** Re-reads the directory; on a read error the keys in memory stay in use (never none). */
  reload(): Promise<void> {
    if (this.#reloading) {
      this.#again = true;
      return this.#reloading;
    }
    this.#reloading = (async () => {
      do {
        this.#again = false;
        const entries = await readEntries(this.dir).catch(() => []);
        if (entries.length > 0) this.#entries = entries;
      } while (this.#again);
    })().finally(() => {
      this.#reloading = null;
    });
    return this.#reloading;
  }

  watch(): void {
    if (this.#watcher) return;
    try {
      this.#watcher = watch(this.dir, { persistent: false }, (_event, file) => {
        if (file === null || file === SIGNING_KEY_FILE || ROTATED_FILE.test(file)) void this.reload();
      });
      this.#watcher.on('error', () => this.close());
    } catch {
      // No watch support (some network file systems): a restart picks rotations up.
    }
  }

  close(): void {
    this.#watcher?.close();
    this.#watcher = null;
  }
}

/** The key ring of `dir`, creating the first key (mode 0600) when there is none. Replicas sharing `dir` share it. */
export async function loadOrCreateSigningKey(dir: string, options: KeyRingOptions = {}): Promise<SigningKeyRing> {
  let entries = await readEntries(dir);
  if (entries.length === 0) {
    await loadOrCreateFirstKey(dir);
    entries = await readEntries(dir);
  }
  const ring = new SigningKeyRing(dir, entries, options.assertionTtlSeconds ?? MAX_ASSERTION_TTL_SECONDS, options.clock ?? systemClock);
  if (options.watch ?? true) ring.watch();
  return ring;
}

export interface RotationResult {
  created: SigningKeyStatus;
  /** Files of keys whose assertions have all expired, deleted by this rotation. */
  deleted: string[];
  keys: SigningKeyStatus[];
}

/**
 * `passerelle keys rotate`: a new ES256 key becomes the signing key; the previous one stays published for
 * `assertionTtlSeconds` + margin; keys past that are deleted. Creation is atomic (link), so two rotations
 * at the same millisecond cannot overwrite each other.
 */
export async function rotateSigningKey(dir: string, options: { assertionTtlSeconds: number; clock?: Clock }): Promise<RotationResult> {
  const clock = options.clock ?? systemClock;
  const before = await readEntries(dir);
  if (before.length === 0) {
    // Nothing to rotate yet: the first key is the new one.
    await loadOrCreateFirstKey(dir);
    const keys = statuses(await readEntries(dir), options.assertionTtlSeconds, clock.now().getTime());
    return { created: keys.at(-1)!, deleted: [], keys };
  }
  const newest = Math.max(0, ...before.map((e) => e.createdAt));
  // Names order the keys: never older than the newest one even if this machine's clock is behind.
  const createdAt = Math.max(clock.now().getTime(), newest + 1);
  const file = rotatedKeyFile(createdAt);
  if (!(await createPemOnce(join(dir, file)))) throw new Error(`${file} already exists: another rotation ran at the same time`);

  const now = clock.now().getTime();
  const entries = await readEntries(dir);
  const deleted: string[] = [];
  for (const status of statuses(entries, options.assertionTtlSeconds, now)) {
    if (status.state !== 'expired') continue;
    await unlink(join(dir, status.file)).catch(unlessMissing(undefined));
    deleted.push(status.file);
  }
  const keys = statuses(entries.filter((e) => !deleted.includes(e.file)), options.assertionTtlSeconds, now);
  return { created: keys.find((k) => k.file === file)!, deleted, keys };
}

/** `passerelle keys list`: every key file with its state, oldest first. */
export async function listSigningKeys(dir: string, options: { assertionTtlSeconds: number; clock?: Clock }): Promise<SigningKeyStatus[]> {
  return statuses(await readEntries(dir), options.assertionTtlSeconds, (options.clock ?? systemClock).now().getTime());
}
