import type { CpsConfig } from '../config/schema.ts';
import { logger } from '../shared/logger.ts';
import { loadAnchors, type Anchor } from './anchors.ts';
import { readCard, type CardFacts } from './card.ts';
import { CpsCrls, type RevocationStatus } from './crl.ts';

/** Parsing and signature checks are cached per certificate (they never change); revocation and accounts are not. */
const CACHE_SIZE = 2000;
const CRL_WATCH_INTERVAL_MS = 30_000;

/** A CPS card as recognised: the certificate and the configured CA that signed it. */
export interface RecognisedCard extends CardFacts {
  issuerAnchor: Anchor;
}

/**
 * The CPS trust anchors (IGC-Santé-shaped CAs) and their CRLs. The TLS layer verifies the
 * whole chain at the handshake (these PEMs are in the gateway's `ca`); this object then
 * tells a CPS card apart from anything else the handshake accepted: its DIRECT issuer must
 * be one of the configured CAs, checked by signature — so a certificate of our own CA that
 * is missing from the database is never taken for a card.
 */
export class CpsTrust {
  readonly #anchors: Anchor[];
  readonly #crls: CpsCrls;
  readonly #cache = new Map<string, RecognisedCard | null>();

  private constructor(anchors: Anchor[], crls: CpsCrls) {
    this.#anchors = anchors;
    this.#crls = crls;
  }

  /** Loads anchors and CRLs (throws on a bad file: the operator asked for it) and starts watching the CRL files. */
  static async open(config: Pick<CpsConfig, 'anchors' | 'crlFiles'>, options: { crlWatchIntervalMs?: number } = {}): Promise<CpsTrust> {
    const anchors = loadAnchors(config.anchors);
    if (anchors.length === 0) logger.warn('cps: enabled without anchors, no card can be recognised');
    const crls = new CpsCrls(config.crlFiles, anchors);
    await crls.load();
    crls.watch(options.crlWatchIntervalMs ?? CRL_WATCH_INTERVAL_MS);
    return new CpsTrust(anchors, crls);
  }

  /** For the gateway listener's `ca`, beside our own CA. */
  get anchorPems(): string[] {
    return this.#anchors.map((a) => a.pem);
  }

  /** The card behind a DER certificate, or null when its issuer is not a configured CPS CA. */
  async recognise(der: Uint8Array, fingerprint: string): Promise<RecognisedCard | null> {
    if (this.#cache.has(fingerprint)) return this.#cache.get(fingerprint) ?? null;
    const card = await this.#recognise(der);
    if (this.#cache.size >= CACHE_SIZE) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(fingerprint, card);
    return card;
  }

  async #recognise(der: Uint8Array): Promise<RecognisedCard | null> {
    let card: CardFacts;
    try {
      card = readCard(der);
    } catch {
      return null;
    }
    for (const anchor of this.#anchors) {
      if (anchor.subject !== card.issuer) continue;
      try {
        if (await card.certificate.verify({ publicKey: anchor.certificate.publicKey, signatureOnly: true })) return { ...card, issuerAnchor: anchor };
      } catch {
        // Another key with the same name (CA renewal): try the next one.
      }
    }
    return null;
  }

  revocation(card: RecognisedCard, now: number): RevocationStatus {
    return this.#crls.status(card.issuer, card.serial, now);
  }

  /** Re-reads the CRL files now (the watcher does it on change). */
  reloadCrls(): Promise<string[]> {
    return this.#crls.reload();
  }

  close(): void {
    this.#crls.close();
  }
}
