import { readFile } from 'node:fs/promises';
import { unwatchFile, watchFile, type Stats } from 'node:fs';
import path from 'node:path';
import { nameToString, normalizeSerial, x509 } from '../pki/index.ts';
import { PasserelleError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import type { Anchor } from './anchors.ts';

/** One CA's current revocation list, checked against that CA before use. */
interface LoadedCrl {
  file: string;
  issuer: string;
  thisUpdate: number;
  /** Null when the CRL states none. */
  nextUpdate: number | null;
  revoked: Set<string>;
}

export type RevocationStatus =
  /** Listed as revoked. */
  | 'revoked'
  /** Not listed in a current CRL. */
  | 'good'
  /** The CA has a CRL but it is past its nextUpdate: the status is unknown, so the card is refused. */
  | 'stale'
  /** No CRL configured for this CA: revocation is not checked (the operator was warned at start). */
  | 'unchecked';

/**
 * `cps.crlFiles`: IGC-Santé publishes one CRL per issuing CA; the operator downloads them
 * (cron) into files listed here. Read at start (a bad file stops the start), then re-read
 * whenever a file changes: a bad new version is logged and the previous one kept.
 */
export class CpsCrls {
  readonly #files: string[];
  readonly #anchors: Anchor[];
  #byIssuer = new Map<string, LoadedCrl>();
  readonly #listeners = new Map<string, (current: Stats, previous: Stats) => void>();

  constructor(files: string[], anchors: Anchor[]) {
    this.#files = files.map((file) => path.resolve(file));
    this.#anchors = anchors;
  }

  async #read(file: string): Promise<LoadedCrl> {
    const bytes = await readFile(file);
    const text = bytes.toString('latin1');
    const crl = new x509.X509Crl(text.includes('-----BEGIN X509 CRL-----') ? text : new Uint8Array(bytes));
    const issuer = nameToString(crl.issuerName);
    const anchor = this.#anchors.find((a) => a.subject === issuer);
    if (!anchor) throw new Error(`${file}: issued by ${issuer}, which is not among cps.anchors`);
    if (!(await crl.verify({ publicKey: anchor.certificate.publicKey }))) throw new Error(`${file}: signature does not verify with ${issuer}`);
    const revoked = new Set<string>();
    for (const entry of crl.entries) {
      const serial = normalizeSerial(entry.serialNumber);
      if (serial) revoked.add(serial);
    }
    return { file, issuer, thisUpdate: crl.thisUpdate.getTime(), nextUpdate: crl.nextUpdate?.getTime() ?? null, revoked };
  }

  #keep(loaded: LoadedCrl): void {
    const current = this.#byIssuer.get(loaded.issuer);
    // Two files for one CA, or a file replaced by an older copy: the most recent list wins.
    if (!current || current.file === loaded.file || loaded.thisUpdate >= current.thisUpdate) this.#byIssuer.set(loaded.issuer, loaded);
  }

  /** Start: every file must load. */
  async load(): Promise<void> {
    for (const file of this.#files) {
      try {
        this.#keep(await this.#read(file));
      } catch (error) {
        throw new PasserelleError(500, 'cps_config_invalid', `cps.crlFiles: ${(error as Error).message}`);
      }
    }
    const covered = new Set(this.#byIssuer.keys());
    for (const anchor of this.#anchors) {
      const selfSigned = anchor.subject === nameToString(anchor.certificate.issuerName);
      if (!selfSigned && !covered.has(anchor.subject)) logger.warn('cps: no CRL for a card-issuing CA, revoked cards of this CA are accepted', { ca: anchor.subject });
    }
  }

  /** Re-reads every file; one that fails keeps its previous version. Returns the files that failed. */
  async reload(): Promise<string[]> {
    const failed: string[] = [];
    for (const file of this.#files) {
      try {
        this.#keep(await this.#read(file));
      } catch (error) {
        failed.push(file);
        logger.error('cps: CRL not reloaded, keeping the previous one', { file, error: (error as Error).message });
      }
    }
    return failed;
  }

  status(issuer: string, serial: string, now: number): RevocationStatus {
    const crl = this.#byIssuer.get(issuer);
    if (!crl) return 'unchecked';
    if (crl.revoked.has(normalizeSerial(serial) ?? serial)) return 'revoked';
    if (crl.nextUpdate !== null && now > crl.nextUpdate) return 'stale';
    return 'good';
  }

  /** Polls the files' metadata (survives the atomic rename a download script does). */
  watch(intervalMs: number): void {
    for (const file of this.#files) {
      if (this.#listeners.has(file)) continue;
      const listener = (current: Stats, previous: Stats) => {
        if (current.mtimeMs !== previous.mtimeMs || current.size !== previous.size || current.ino !== previous.ino) void this.reload();
      };
      this.#listeners.set(file, listener);
      watchFile(file, { interval: intervalMs, persistent: false }, listener);
    }
  }

  close(): void {
    for (const [file, listener] of this.#listeners) unwatchFile(file, listener);
    this.#listeners.clear();
  }
}
