import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import { BasicOCSPResponse, Certificate, CertID, Extension, OCSPRequest, OCSPResponse, ResponseBytes, ResponseData, SingleResponse } from 'pkijs';
import type { X509Certificate } from './x509.ts';
import { normalizeSerial } from './serial.ts';
import type { OcspResponderMaterial, RevocationReason } from './types.ts';

/**
 * RFC 6960 OCSP, pure: reads a DER OCSPRequest and builds a signed DER OCSPResponse. No storage: the
 * caller (src/ca/ocsp.ts) looks each serial up and passes the statuses in.
 */

const OID = {
  basicResponse: '1.3.6.1.5.5.7.48.1.1',
  nonce: '1.3.6.1.5.5.7.48.1.2',
} as const;

/** CertID hash algorithms we can match an issuer with (SHA-1 is what OpenSSL and most clients send). */
const HASHES: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** One request may ask about several certificates; more than this is not a relying party checking a chain. */
const MAX_CERTIFICATES = 20;
/** RFC 8954 §2.1: a nonce is at most 32 octets (plus the OCTET STRING header most clients wrap it in). */
const MAX_NONCE_OCTETS = 34;

/** OCSPResponseStatus values other than successful (RFC 6960 §4.2.1). */
export type OcspFailure = 'malformedRequest' | 'internalError' | 'tryLater' | 'unauthorized';

const FAILURE_CODES: Record<OcspFailure, number> = { malformedRequest: 1, internalError: 2, tryLater: 3, unauthorized: 6 };

export class OcspRequestError extends Error {
  constructor(
    readonly status: OcspFailure,
    message: string,
  ) {
    super(message);
    this.name = 'OcspRequestError';
  }
}

/** One certificate asked about: the CertID to echo back, and its serial in our canonical form. */
export interface OcspQuery {
  certId: CertID;
  /** Lower-case hex without leading zero bytes (src/pki/serial.ts), or null when not a positive integer. */
  serial: string | null;
}

export interface ParsedOcspRequest {
  queries: OcspQuery[];
  /** The nonce extension's value, echoed verbatim in the response; null when absent. */
  nonce: Uint8Array | null;
}

export type OcspCertStatus = { status: 'good' } | { status: 'revoked'; revokedAt: Date; reason: RevocationReason } | { status: 'unknown' };

/**
 * Parses a DER OCSPRequest. `malformedRequest` for anything that is not exactly one well-formed request
 * asking about 1 to 20 certificates; `unauthorized` when a certificate is not from `issuer` (RFC 5019 §2.2.3:
 * we are not authoritative for it). A request signature, if any, is ignored: status is public information.
 */
export function parseOcspRequest(der: Uint8Array, issuer: X509Certificate): ParsedOcspRequest {
  const request = decodeRequest(der);
  const list = request.tbsRequest.requestList;
  if (list.length === 0 || list.length > MAX_CERTIFICATES) throw new OcspRequestError('malformedRequest', `a request must ask about 1 to ${MAX_CERTIFICATES} certificates`);
  const ours = issuerHashes(issuer);
  const queries = list.map(({ reqCert }) => {
    if (!isIssuedBy(reqCert, ours)) throw new OcspRequestError('unauthorized', 'not a certificate of this issuing CA');
    return { certId: reqCert, serial: serialOf(reqCert.serialNumber) };
  });
  return { queries, nonce: nonceOf(request) };
}

function decodeRequest(der: Uint8Array): OCSPRequest {
  const asn1 = asn1js.fromBER(der);
  if (asn1.offset === -1 || asn1.offset !== der.byteLength) throw new OcspRequestError('malformedRequest', 'the body is not one DER structure');
  try {
    return new OCSPRequest({ schema: asn1.result });
  } catch {
    throw new OcspRequestError('malformedRequest', 'the body is not an OCSPRequest');
  }
}

function nonceOf(request: OCSPRequest): Uint8Array | null {
  const extension = request.tbsRequest.requestExtensions?.find((e) => e.extnID === OID.nonce);
  if (!extension) return null;
  const value = extension.extnValue.valueBlock.valueHexView;
  if (value.byteLength === 0 || value.byteLength > MAX_NONCE_OCTETS) throw new OcspRequestError('malformedRequest', 'the nonce must be 1 to 32 octets');
  return new Uint8Array(value);
}

type IssuerHashes = (oid: string) => { name: Buffer; key: Buffer } | null;

const ISSUERS = new WeakMap<X509Certificate, IssuerHashes>();

/** The issuer's name and key hashes, per CertID hash algorithm, computed once per issuer and algorithm. */
function issuerHashes(issuer: X509Certificate): IssuerHashes {
  let hashes = ISSUERS.get(issuer);
  if (!hashes) {
    hashes = computeIssuerHashes(issuer);
    ISSUERS.set(issuer, hashes);
  }
  return hashes;
}

function computeIssuerHashes(issuer: X509Certificate): IssuerHashes {
  const parsed = Certificate.fromBER(issuer.rawData);
  // The DER of the subject exactly as encoded in the certificate (pkijs keeps the bytes it parsed).
  const name = new Uint8Array(parsed.subject.toSchema().toBER());
  const key = parsed.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView;
  const cache = new Map<string, { name: Buffer; key: Buffer }>();
  return (oid) => {
    const algorithm = HASHES[oid];
    if (!algorithm) return null;
    let hashes = cache.get(oid);
    if (!hashes) {
      hashes = { name: createHash(algorithm).update(name).digest(), key: createHash(algorithm).update(key).digest() };
      cache.set(oid, hashes);
    }
    return hashes;
  };
}

function isIssuedBy(certId: CertID, ours: IssuerHashes): boolean {
  const hashes = ours(certId.hashAlgorithm.algorithmId);
  if (!hashes) return false;
  return hashes.name.equals(certId.issuerNameHash.valueBlock.valueHexView) && hashes.key.equals(certId.issuerKeyHash.valueBlock.valueHexView);
}

function serialOf(integer: asn1js.Integer): string | null {
  const bytes = integer.valueBlock.valueHexView;
  if (bytes.byteLength === 0 || (bytes[0]! & 0x80) !== 0) return null;
  return normalizeSerial(Buffer.from(bytes).toString('hex'));
}

/** CRLReason codes (RFC 5280 §5.3.1). */
const REASON_CODES: Record<RevocationReason, number> = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  privilegeWithdrawn: 9,
};

export interface OcspAnswer {
  query: OcspQuery;
  status: OcspCertStatus;
}

export interface OcspResponseInput {
  answers: OcspAnswer[];
  nonce: Uint8Array | null;
  /** When the status was read: producedAt and every thisUpdate. */
  thisUpdate: Date;
  /** Until when a relying party may cache the answers. */
  nextUpdate: Date;
}

/**
 * A successful OCSPResponse carrying a BasicOCSPResponse signed by the delegated responder: responder ID by
 * key hash, the responder certificate included (so clients can check the delegation), the nonce echoed.
 */
export async function buildOcspResponse(responder: OcspResponderMaterial, input: OcspResponseInput): Promise<Uint8Array> {
  const { certificate: responderCert, keyHash } = parsedResponder(responder.cert);
  const thisUpdate = floorSeconds(input.thisUpdate);
  const nextUpdate = floorSeconds(input.nextUpdate);
  const tbs = new ResponseData({
    responderID: new asn1js.OctetString({ valueHex: keyHash }),
    producedAt: thisUpdate,
    responses: input.answers.map(({ query, status }) => new SingleResponse({ certID: query.certId, certStatus: encodeStatus(status), thisUpdate, nextUpdate })),
  });
  if (input.nonce) tbs.responseExtensions = [new Extension({ extnID: OID.nonce, critical: false, extnValue: toArrayBuffer(input.nonce) })];
  const basic = new BasicOCSPResponse({ tbsResponseData: tbs, certs: [responderCert] });
  await basic.sign(responder.key, 'SHA-256');
  const response = new OCSPResponse({
    responseStatus: new asn1js.Enumerated({ value: 0 }),
    responseBytes: new ResponseBytes({ responseType: OID.basicResponse, response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER() }) }),
  });
  return new Uint8Array(response.toSchema().toBER());
}

/** An unsuccessful OCSPResponse: the status alone, unsigned (RFC 6960 §2.3). */
export function ocspFailureResponse(status: OcspFailure): Uint8Array {
  return new Uint8Array(new OCSPResponse({ responseStatus: new asn1js.Enumerated({ value: FAILURE_CODES[status] }) }).toSchema().toBER());
}

/** CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo, unknown [2] IMPLICIT NULL }. */
function encodeStatus(status: OcspCertStatus): asn1js.BaseBlock {
  switch (status.status) {
    case 'good':
      return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 } });
    case 'unknown':
      return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 } });
    case 'revoked': {
      const info: asn1js.BaseBlock[] = [new asn1js.GeneralizedTime({ valueDate: floorSeconds(status.revokedAt) })];
      // As in the CRL (RFC 5280 §5.3.1), "unspecified" is told by leaving the reason out.
      if (status.reason !== 'unspecified') {
        info.push(new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.Enumerated({ value: REASON_CODES[status.reason] })] }));
      }
      return new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 1 }, value: info });
    }
  }
}

const RESPONDERS = new WeakMap<X509Certificate, { certificate: Certificate; keyHash: ArrayBuffer }>();

/** The responder certificate as pkijs needs it, and its ResponderID byKey: SHA-1 of its subjectPublicKey BIT STRING value (RFC 6960 §4.2.2.3). */
function parsedResponder(cert: X509Certificate): { certificate: Certificate; keyHash: ArrayBuffer } {
  let parsed = RESPONDERS.get(cert);
  if (!parsed) {
    const certificate = Certificate.fromBER(cert.rawData);
    parsed = { certificate, keyHash: toArrayBuffer(createHash('sha1').update(certificate.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView).digest()) };
    RESPONDERS.set(cert, parsed);
  }
  return parsed;
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** GeneralizedTime without fractional seconds, as DER profiles expect. */
function floorSeconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}
