import { lookup as dnsLookup } from 'node:dns';
import { get } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { JSONWebKeySet } from 'jose';
import type { Clock } from '../shared/clock.ts';

/** Refetch on an unknown `kid` at most this often. */
export const JWKS_REFETCH_COOLDOWN_MS = 30_000;
/** After a failed fetch (gateway still starting), retry sooner. */
const FAILED_FETCH_RETRY_MS = 2_000;
const FETCH_TIMEOUT_MS = 5_000;
const MAX_JWKS_BYTES = 64 * 1024;

/** `*.localhost` is loopback (RFC 6761) but Node's resolver may not know it; SNI and Host keep the name. */
const loopbackAwareLookup: LookupFunction = (hostname, options, callback) => {
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
    if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
    return;
  }
  dnsLookup(hostname, options, callback);
};

function isKeySet(value: unknown): value is JSONWebKeySet {
  return typeof value === 'object' && value !== null && Array.isArray((value as { keys?: unknown }).keys);
}

/** GET a JWK Set over HTTPS, trusting `caPem`. */
export function fetchJwks(url: string, caPem: string): Promise<JSONWebKeySet> {
  return new Promise((resolve, reject) => {
    const request = get(url, { ca: caPem, lookup: loopbackAwareLookup, timeout: FETCH_TIMEOUT_MS, headers: { accept: 'application/json' } }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_JWKS_BYTES) request.destroy(new Error('JWKS response too large'));
        else chunks.push(chunk);
      });
      response.on('end', () => {
        if (response.statusCode !== 200) return reject(new Error(`JWKS fetch returned HTTP ${response.statusCode}`));
        try {
          const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          if (isKeySet(body)) resolve(body);
          else reject(new Error('JWKS response has no "keys" array'));
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error('JWKS fetch timed out')));
    request.on('error', reject);
  });
}

/** Cached JWK Set: fetched lazily, refetched on an unknown kid at most once per cooldown. */
export class JwksCache {
  #keys: JSONWebKeySet | undefined;
  #nextFetchAt = -Infinity;
  #pending: Promise<JSONWebKeySet> | undefined;
  /** Network fetches so far (tests read it). */
  fetchCount = 0;

  constructor(
    private readonly url: string,
    private readonly caPem: string,
    private readonly clock: Clock,
  ) {}

  /** The cached set, fetched on first use. */
  async current(): Promise<JSONWebKeySet> {
    if (this.#keys) return this.#keys;
    const refreshed = await this.refresh();
    if (!refreshed) throw new Error('JWKS unavailable, retrying shortly');
    return refreshed;
  }

  /** Refetches unless cooling down; resolves to the new set, or undefined while cooling down. */
  async refresh(): Promise<JSONWebKeySet | undefined> {
    if (this.#pending) return this.#pending;
    if (this.#now() < this.#nextFetchAt) return undefined;
    return this.#fetch();
  }

  #now(): number {
    return this.clock.now().getTime();
  }

  async #fetch(): Promise<JSONWebKeySet> {
    this.fetchCount += 1;
    this.#pending = fetchJwks(this.url, this.caPem);
    try {
      this.#keys = await this.#pending;
      this.#nextFetchAt = this.#now() + JWKS_REFETCH_COOLDOWN_MS;
      return this.#keys;
    } catch (error) {
      this.#nextFetchAt = this.#now() + FAILED_FETCH_RETRY_MS;
      throw error;
    } finally {
      this.#pending = undefined;
    }
  }
}
