/** Pure X.509: key generation, issuance, CSR, CRLs, OCSP, PKCS#12 and the PKI files. No storage, no mail, no HTTP. */
export type {
  ClientProfile,
  CrlEntry,
  CrlInput,
  IssuedCertificate,
  KeyAlgorithm,
  OcspResponderMaterial,
  Pki,
  PkiOptions,
  RevocationReason,
  ServerMaterial,
} from './types.ts';
export { PkiError, type PkiErrorCode } from './errors.ts';
export { fingerprintSha256 } from './crypto.ts';
export { exportPrivateKeyPem, generateKeyPair, checkClientPublicKey } from './keys.ts';
export { initPki, loadPki, pkiExists, ensureServerCertificate, withClock } from './pki.ts';
export { loadPkiReadOnly } from './read-only.ts';
export { PKI_FILES } from './pki-files.ts';
export { issueClientCertificate, describeCertificate } from './issue.ts';
export { publicKeyFromCsr } from './csr.ts';
export { generateCrl, knownRevocationReason, parseRevocationReason, REVOCATION_REASONS } from './crl.ts';
export {
  buildOcspResponse,
  ocspFailureResponse,
  parseOcspRequest,
  OcspRequestError,
  type OcspAnswer,
  type OcspCertStatus,
  type OcspFailure,
  type OcspQuery,
  type OcspResponseInput,
  type ParsedOcspRequest,
} from './ocsp.ts';
export { loadOrCreateOcspResponder, isFresh as ocspResponderIsFresh, OCSP_RESPONDER_FILE } from './ocsp-responder.ts';
export { buildPkcs12, type Pkcs12Encryption, type Pkcs12Input } from './pkcs12.ts';
export { nameField, nameToString } from './names.ts';
export { normalizeSerial } from './serial.ts';
/** @peculiar/x509, loaded behind the Reflect shim: import it from here rather than directly. */
export * as x509 from './x509.ts';
