import type { X509Certificate } from './x509.ts';
import type { Clock } from '../shared/clock.ts';

/** Client key algorithms. RSA-2048 is the bootstrap default: it imports everywhere (Windows, macOS Keychain, NSS, Java). */
export type KeyAlgorithm = 'rsa-2048' | 'rsa-3072' | 'ec-p256';

export interface PkiOptions {
  /** Data directory holding the CA material (created with mode 0700). */
  dir: string;
  /** Encrypts the root and issuing CA keys at rest; null only in development. */
  passphrase: string | null;
  organization: string;
  /** ISO 3166 two-letter code, e.g. "FR". */
  country: string;
  validityDays: { root: number; issuing: number; server: number; personal: number; collective: number };
  /** DNS names (or IP literals) the TLS server certificate must cover; 127.0.0.1 is always added. */
  serverHosts: string[];
  /** Drives notBefore/notAfter of everything issued: a clock in the past yields expired certificates. */
  clock: Clock;
  /** Put in a CRL distribution point extension of the certificates we issue (clients and server) when set. */
  crlUrl?: string;
  /** Put in an authority information access extension (id-ad-ocsp) of the certificates we issue when set. */
  ocspUrl?: string;
}

/** The delegated OCSP signer (RFC 6960 §4.2.2.2): id-kp-OCSPSigning, id-pkix-ocsp-nocheck, signed by the issuing CA. */
export interface OcspResponderMaterial {
  cert: X509Certificate;
  certPem: string;
  /** Private, non-extractable: signs OCSP responses only. */
  key: CryptoKey;
}

export interface ServerMaterial {
  certPem: string;
  /** Unencrypted PKCS#8 PEM (the TLS listener needs it), stored with mode 0600. */
  keyPem: string;
  /** Server certificate followed by the issuing CA: pass as `cert` to https.createServer. */
  chainPem: string;
}

export interface Pki {
  dir: string;
  root: X509Certificate;
  issuing: X509Certificate;
  /** Private, signs client certificates, the server certificate and CRLs. */
  issuingKey: CryptoKey;
  rootPem: string;
  issuingPem: string;
  /** Issuing + root PEMs, for clients. */
  chainPem: string;
  /** What the TLS server trusts for client certificates (issuing + root). */
  trustPem: string;
  server: ServerMaterial;
  ocspResponder: OcspResponderMaterial;
  options: PkiOptions;
}

export type ClientProfile =
  | { kind: 'personal'; identifier: string; givenName: string; familyName: string; email: string; organization?: string | null }
  | { kind: 'collective'; establishmentId: string; establishmentName: string; machineLabel: string };

export interface IssuedCertificate {
  pem: string;
  der: Uint8Array<ArrayBuffer>;
  /** Lower-case hex, no colons, positive, 16 random bytes. */
  serial: string;
  /** SHA-256 of the DER, lower-case hex, no colons. */
  fingerprintSha256: string;
  notBefore: Date;
  notAfter: Date;
  /** RFC 4514-like string in encoding order, e.g. "C=FR, O=…, CN=Hélène LEFÈVRE, UID=helene.lefevre". */
  subject: string;
}

export type RevocationReason =
  | 'unspecified'
  | 'keyCompromise'
  | 'cACompromise'
  | 'affiliationChanged'
  | 'superseded'
  | 'cessationOfOperation'
  | 'certificateHold'
  | 'privilegeWithdrawn';

export interface CrlEntry {
  serial: string;
  revokedAt: Date;
  reason: RevocationReason;
}

export interface CrlInput {
  /** Monotonic CRL number (RFC 5280 §5.2.3). */
  number: number;
  thisUpdate: Date;
  nextUpdate: Date;
  entries: CrlEntry[];
}
