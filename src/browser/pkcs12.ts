import * as asn1js from 'asn1js';
import {
  AlgorithmIdentifier,
  Attribute,
  AuthenticatedSafe,
  CertBag,
  ContentInfo,
  DigestInfo,
  MacData,
  PBES2Params,
  PBKDF2Params,
  PFX,
  PKCS8ShroudedKeyBag,
  SafeBag,
  SafeContents,
  getCrypto,
} from 'pkijs';
import { randomBytes, utf8 } from './bytes.ts';

/**
 * The .p12 the person installs, built in the browser (the private key never leaves it).
 *
 * Algorithms, for an import that works in Windows 10 1709+ (so Chrome and Edge), macOS Keychain (Safari,
 * Chrome), NSS (Firefox everywhere, Chrome on Linux) and OpenSSL 3 without -legacy:
 * - private key: PKCS#8 shrouded key bag, PBES2 = PBKDF2-HMAC-SHA256 + AES-256-CBC, as OpenSSL 3 writes by default;
 * - certificates (leaf, then issuing CA; not the root, which Windows would offer to trust): plain data
 *   bag — they are public, and RC2/3DES certificate encryption is what needs OpenSSL's legacy provider;
 * - integrity: HMAC-SHA1 with the PKCS#12 KDF and an 8-byte salt. macOS's Security framework rejects
 *   SHA-256 MACs (the "MAC verification failed / wrong password" of OpenSSL 3 defaults) and a long MAC salt;
 *   HMAC-SHA1 is still sound as a MAC.
 * - the same iteration count for the key and the MAC: an attacker can test passwords against either, so
 *   both must be slow; 100 000 stays within what importers accept (.NET caps total work at 600 000).
 * Passwords are printable ASCII: PBES2 (UTF-8) and the PKCS#12 KDF (UTF-16) disagree on anything else
 * between implementations.
 */
export const PKCS12_ITERATIONS = 100_000;

const OID = {
  data: '1.2.840.113549.1.7.1',
  pkcs8ShroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacWithSha256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  sha1: '1.3.14.3.2.26',
} as const;

export interface Pkcs12Input {
  /** PKCS#8 DER of the private key (crypto.subtle.exportKey('pkcs8')). */
  privateKeyPkcs8: ArrayBuffer;
  /** DER of the certificate, then of the CA certificates to include. */
  certificateDer: Uint8Array<ArrayBuffer>;
  chainDer: Uint8Array<ArrayBuffer>[];
  password: string;
  /** What certificate pickers and keychains show. */
  friendlyName: string;
  iterations?: number;
}

export function isAcceptablePassword(password: string): boolean {
  return /^[\x20-\x7e]+$/.test(password);
}

export async function buildPkcs12(input: Pkcs12Input): Promise<Uint8Array<ArrayBuffer>> {
  const iterations = input.iterations ?? PKCS12_ITERATIONS;
  if (!isAcceptablePassword(input.password)) throw new Error('the .p12 password must be printable ASCII');
  const password = utf8(input.password);

  // localKeyId ties the key to its certificate (SHA-1 of the certificate, as OpenSSL and Windows write it).
  const localKeyId = await crypto.subtle.digest('SHA-1', input.certificateDer);
  const attributes = [
    new Attribute({ type: OID.friendlyName, values: [new asn1js.BmpString({ value: input.friendlyName })] }),
    new Attribute({ type: OID.localKeyId, values: [new asn1js.OctetString({ valueHex: localKeyId })] }),
  ];

  const certBags = [input.certificateDer, ...input.chainDer].map(
    (der, index) =>
      new SafeBag({
        bagId: OID.certBag,
        bagValue: new CertBag({ certId: OID.x509Certificate, certValue: new asn1js.OctetString({ valueHex: der.slice().buffer }) }),
        ...(index === 0 ? { bagAttributes: attributes } : {}),
      }),
  );
  const keyBag = new SafeBag({ bagId: OID.pkcs8ShroudedKeyBag, bagValue: await shroudKey(input.privateKeyPkcs8, password, iterations), bagAttributes: attributes });

  const authenticatedSafe = new AuthenticatedSafe({ safeContents: [dataContentInfo(new SafeContents({ safeBags: certBags })), dataContentInfo(new SafeContents({ safeBags: [keyBag] }))] });
  const authSafeDer = authenticatedSafe.toSchema().toBER(false);

  const macSalt = randomBytes(8);
  const mac = await getCrypto(true).stampDataWithPassword({
    password: password.buffer,
    hashAlgorithm: 'SHA-1',
    salt: macSalt.buffer,
    iterationCount: iterations,
    contentToStamp: authSafeDer,
  });
  const pfx = new PFX({
    version: 3,
    authSafe: new ContentInfo({ contentType: OID.data, content: new asn1js.OctetString({ valueHex: authSafeDer }) }),
    macData: new MacData({
      mac: new DigestInfo({ digestAlgorithm: new AlgorithmIdentifier({ algorithmId: OID.sha1, algorithmParams: new asn1js.Null() }), digest: new asn1js.OctetString({ valueHex: mac }) }),
      macSalt: new asn1js.OctetString({ valueHex: macSalt.buffer }),
      iterations,
    }),
  });
  return new Uint8Array(pfx.toSchema().toBER(false));
}

/** PKCS#8 → EncryptedPrivateKeyInfo with PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC), through WebCrypto. */
async function shroudKey(pkcs8: ArrayBuffer, password: Uint8Array<ArrayBuffer>, iterations: number): Promise<PKCS8ShroudedKeyBag> {
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const base = await crypto.subtle.importKey('raw', password, 'PBKDF2', false, ['deriveKey']);
  const key = await crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, base, { name: 'AES-CBC', length: 256 }, false, ['encrypt']);
  const encrypted = await crypto.subtle.encrypt({ name: 'AES-CBC', iv }, key, pkcs8);
  const pbkdf2 = new PBKDF2Params({
    salt: new asn1js.OctetString({ valueHex: salt.buffer }),
    iterationCount: iterations,
    prf: new AlgorithmIdentifier({ algorithmId: OID.hmacWithSha256, algorithmParams: new asn1js.Null() }),
  });
  const pbes2 = new PBES2Params({
    keyDerivationFunc: new AlgorithmIdentifier({ algorithmId: OID.pbkdf2, algorithmParams: pbkdf2.toSchema() }),
    encryptionScheme: new AlgorithmIdentifier({ algorithmId: OID.aes256Cbc, algorithmParams: new asn1js.OctetString({ valueHex: iv.buffer }) }),
  });
  return new PKCS8ShroudedKeyBag({
    encryptionAlgorithm: new AlgorithmIdentifier({ algorithmId: OID.pbes2, algorithmParams: pbes2.toSchema() }),
    encryptedData: new asn1js.OctetString({ valueHex: encrypted }),
  });
}

function dataContentInfo(contents: SafeContents): ContentInfo {
  return new ContentInfo({ contentType: OID.data, content: new asn1js.OctetString({ valueHex: contents.toSchema().toBER(false) }) });
}
