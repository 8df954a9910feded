import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../shared/clock.ts';
import { logger } from '../shared/logger.ts';
import type { Storage } from '../storage/index.ts';
import {
  buildOcspResponse,
  loadOrCreateOcspResponder,
  normalizeSerial,
  ocspFailureResponse,
  ocspResponderIsFresh,
  OcspRequestError,
  parseOcspRequest,
  parseRevocationReason,
  PKI_FILES,
  x509,
  type OcspCertStatus,
  type OcspFailure,
  type OcspResponderMaterial,
  type Pki,
} from '../pki/index.ts';

export interface OcspDeps {
  pki: Pki;
  storage: Storage;
  clock: Clock;
}

/**
 * How long a relying party may keep an answer (nextUpdate − thisUpdate). Every answer is read from the
 * database when asked (no cache here), so a revocation is told at once to anyone who asks again; this only
 * bounds how long a client that cached a "good" may go on trusting it.
 */
export const OCSP_VALIDITY_MS = 3_600_000;

/** An answer, and what it said: one status per certificate asked about, or the OCSP error status. */
export interface OcspOutcome {
  der: Uint8Array;
  results: Array<OcspCertStatus['status'] | OcspFailure>;
}

/**
 * The OCSP responder of the issuing CA: each certificate's status from the certificates table (the one the
 * CRL is built from), signed by the delegated responder certificate. Never throws: any failure is an OCSP
 * error status, which is what OCSP clients understand. Not audited (one event per TLS handshake of every
 * relying party would drown the trail); an answer changes nothing.
 */
export class OcspService {
  // Taken from the PKI on first use, so building the service never touches the responder key.
  #responder: OcspResponderMaterial | null = null;
  #renewing: Promise<OcspResponderMaterial> | null = null;

  constructor(private readonly deps: OcspDeps) {}

  /** A DER OCSPRequest in, a DER OCSPResponse out. */
  async respond(request: Uint8Array): Promise<OcspOutcome> {
    try {
      const { queries, nonce } = parseOcspRequest(request, this.deps.pki.issuing);
      const thisUpdate = this.deps.clock.now();
      const answers = await Promise.all(queries.map(async (query) => ({ query, status: await this.#status(query.serial) })));
      const der = await buildOcspResponse(await this.#signer(), { answers, nonce, thisUpdate, nextUpdate: new Date(thisUpdate.getTime() + OCSP_VALIDITY_MS) });
      return { der, results: answers.map((a) => a.status.status) };
    } catch (error) {
      if (error instanceof OcspRequestError) return failure(error.status);
      logger.error('ocsp request failed', { error: error instanceof Error ? error.message : String(error) });
      return failure('internalError');
    }
  }

  async #status(serial: string | null): Promise<OcspCertStatus> {
    if (serial === null) return { status: 'unknown' };
    const record = await this.deps.storage.certificates.findBySerial(serial);
    if (record?.status === 'revoked') {
      return { status: 'revoked', revokedAt: new Date(record.revokedAt ?? 0), reason: parseRevocationReason(record.revocationReason ?? 'unspecified') };
    }
    if (record) return { status: 'good' };
    // Our TLS server certificate is not in the table, yet it names this responder too (Firefox refuses an
    // "unknown" server certificate). Another replica may have re-issued it since we started: read the file.
    if (await this.#isServerCertificate(serial)) return { status: 'good' };
    return { status: 'unknown' };
  }

  async #isServerCertificate(serial: string): Promise<boolean> {
    const { pki } = this.deps;
    if (serialOf(pki.server.certPem) === serial) return true;
    const onDisk = await readFile(join(pki.dir, PKI_FILES.serverCert), 'utf8').catch(() => null);
    return onDisk !== null && serialOf(onDisk) === serial;
  }

  /** The responder, renewed when it comes within 30 days of expiry (a long-running process outlives it). */
  async #signer(): Promise<OcspResponderMaterial> {
    const { pki } = this.deps;
    this.#responder ??= pki.ocspResponder;
    if (ocspResponderIsFresh(this.#responder, pki.options)) return this.#responder;
    this.#renewing ??= loadOrCreateOcspResponder(pki.options, pki).finally(() => {
      this.#renewing = null;
    });
    this.#responder = await this.#renewing;
    return this.#responder;
  }
}

export function failure(status: OcspFailure): OcspOutcome {
  return { der: ocspFailureResponse(status), results: [status] };
}

function serialOf(pem: string): string | null {
  try {
    return normalizeSerial(new x509.X509Certificate(pem).serialNumber);
  } catch {
    return null;
  }
}
