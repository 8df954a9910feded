import { createCipheriv, createHash, createHmac, createPrivateKey, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import { AlgorithmIdentifier, Attribute, AuthenticatedSafe, CertBag, ContentInfo, DigestInfo, MacData, PFX, PKCS8ShroudedKeyBag, SafeBag, SafeContents } from 'pkijs';
import { BadRequestError } from '../shared/errors.ts';

/**
 * PKCS#12 (.p12) bundles for the bootstrap CLI (server-side keys). Browsers build their own on the
 * withdrawal page (src/browser/pkcs12.ts, same pkijs structures); this one only has to import everywhere a
 * clinician might double-click it.
 *
 * Algorithms, chosen for the widest import base (Windows, macOS Keychain, NSS/Firefox, Chrome, Java,
 * Android, OpenSSL 3 without -legacy):
 * - key bag: pbeWithSHAAnd3-KeyTripleDES-CBC (PKCS#12 KDF) by default. macOS Keychain and Windows
 *   before 10 1709 reject PBES2/AES bundles; OpenSSL 3 still reads 3DES with its default provider (it
 *   only needs -legacy for RC2/RC4). `encryption: 'aes256'` gives PBES2 AES-256-CBC + PBKDF2-HMAC-SHA256
 *   for modern-only estates.
 * - integrity: HMAC-SHA1 with the PKCS#12 KDF: an SHA-256 MAC is what makes OpenSSL 3's default output
 *   fail on macOS.
 * - certificates in an unencrypted bag (they are public), copied byte for byte.
 *
 * pkijs builds the structure; OpenSSL (node:crypto) encrypts. The PKCS#12 KDF below is the one piece no
 * library offers synchronously for key, IV and MAC alike (pkijs keeps its own private and MAC-only).
 */
export interface Pkcs12Input {
  certPem: string;
  /** PKCS#8 (or PKCS#1 / SEC1) PEM of the certificate's private key, unencrypted. */
  keyPem: string;
  /** CA certificates to include after the leaf (issuing, root). */
  chainPems: string[];
  password: string;
  /** Label shown by certificate pickers and keychains. */
  friendlyName: string;
  encryption?: Pkcs12Encryption;
  /** PKCS#12 KDF / PBKDF2 iterations for both the key and the MAC (OpenSSL's default: 2048). */
  iterations?: number;
}

export type Pkcs12Encryption = '3des' | 'aes256';

const OID = {
  data: '1.2.840.113549.1.7.1',
  pkcs8ShroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  pbeWithSha1And3DesCbc: '1.2.840.113549.1.12.1.3',
  sha1: '1.3.14.3.2.26',
} as const;

export function buildPkcs12(input: Pkcs12Input): Buffer {
  const iterations = input.iterations ?? 2048;
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > 1_000_000) throw new BadRequestError('invalid_pkcs12', 'iterations must be between 1 and 1,000,000');
  if (input.password.length === 0) throw new BadRequestError('invalid_pkcs12', 'a PKCS#12 password is required');
  if (/[^\u0020-\uffff]|[\ud800-\udfff]/.test(input.password)) {
    // The PKCS#12 KDF takes a BMPString: keep to printable characters of the Basic Multilingual Plane.
    throw new BadRequestError('invalid_pkcs12', 'the PKCS#12 password must use printable characters only');
  }

  const leaf = parseCertificate(input.certPem, 'certificate');
  const chain = input.chainPems.map((pem) => parseCertificate(pem, 'chain certificate'));
  const key = parseKey(input.keyPem);
  if (!leaf.checkPrivateKey(key)) throw new BadRequestError('key_mismatch', 'the private key does not match the certificate');

  // localKeyId ties the key to its certificate (SHA-1 of the certificate, as OpenSSL and Windows write it).
  const localKeyId = createHash('sha1').update(leaf.raw).digest();
  const attributes = [
    new Attribute({ type: OID.localKeyId, values: [new asn1js.OctetString({ valueHex: bytes(localKeyId) })] }),
    new Attribute({ type: OID.friendlyName, values: [new asn1js.BmpString({ value: input.friendlyName })] }),
  ];
  const certBags = [leaf, ...chain].map(
    (certificate, index) =>
      new SafeBag({
        bagId: OID.certBag,
        bagValue: new CertBag({ certId: OID.x509Certificate, certValue: new asn1js.OctetString({ valueHex: bytes(certificate.raw) }) }),
        ...(index === 0 ? { bagAttributes: attributes } : {}),
      }),
  );
  const keyBag = new SafeBag({ bagId: OID.pkcs8ShroudedKeyBag, bagValue: shroudKey(key, input.password, input.encryption ?? '3des', iterations), bagAttributes: attributes });

  const authSafe = new AuthenticatedSafe({ safeContents: [dataContentInfo(new SafeContents({ safeBags: certBags })), dataContentInfo(new SafeContents({ safeBags: [keyBag] }))] });
  const authSafeDer = Buffer.from(authSafe.toSchema().toBER(false));

  const pfx = new PFX({
    version: 3,
    authSafe: new ContentInfo({ contentType: OID.data, content: new asn1js.OctetString({ valueHex: bytes(authSafeDer) }) }),
    macData: macData(authSafeDer, input.password, iterations),
  });
  return Buffer.from(pfx.toSchema().toBER(false));
}

function parseCertificate(pem: string, label: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw new BadRequestError('invalid_pkcs12', `the ${label} is not a valid PEM certificate`);
  }
}

function parseKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new BadRequestError('invalid_pkcs12', 'the private key must be an unencrypted PEM key');
  }
  if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'ec') {
    throw new BadRequestError('unsupported_key', `cannot bundle a ${key.asymmetricKeyType ?? 'unknown'} key; use RSA or ECDSA`);
  }
  return key;
}

/** PKCS#8 → EncryptedPrivateKeyInfo, the shrouded key bag's value. */
function shroudKey(key: KeyObject, password: string, encryption: Pkcs12Encryption, iterations: number): PKCS8ShroudedKeyBag {
  if (encryption === 'aes256') {
    // Node (OpenSSL) writes PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC.
    return PKCS8ShroudedKeyBag.fromBER(bytes(key.export({ type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase: password })));
  }
  // pbeWithSHAAnd3-KeyTripleDES-CBC (RFC 7292 appendix C): key and IV from the PKCS#12 KDF, 8-byte salt.
  const salt = randomBytes(8);
  const cipher = createCipheriv('des-ede3-cbc', pkcs12Kdf(password, salt, 1, iterations, 24), pkcs12Kdf(password, salt, 2, iterations, 8));
  const encrypted = Buffer.concat([cipher.update(key.export({ type: 'pkcs8', format: 'der' })), cipher.final()]);
  const params = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: bytes(salt) }), new asn1js.Integer({ value: iterations })] });
  return new PKCS8ShroudedKeyBag({
    encryptionAlgorithm: new AlgorithmIdentifier({ algorithmId: OID.pbeWithSha1And3DesCbc, algorithmParams: params }),
    encryptedData: new asn1js.OctetString({ valueHex: bytes(encrypted) }),
  });
}

/** MacData: HMAC-SHA1 over the AuthenticatedSafe, key from the PKCS#12 KDF (ID 3). */
function macData(authSafeDer: Buffer, password: string, iterations: number): MacData {
  const salt = randomBytes(8);
  const mac = createHmac('sha1', pkcs12Kdf(password, salt, 3, iterations, 20)).update(authSafeDer).digest();
  return new MacData({
    mac: new DigestInfo({ digestAlgorithm: new AlgorithmIdentifier({ algorithmId: OID.sha1, algorithmParams: new asn1js.Null() }), digest: new asn1js.OctetString({ valueHex: bytes(mac) }) }),
    macSalt: new asn1js.OctetString({ valueHex: bytes(salt) }),
    iterations,
  });
}

/**
 * The PKCS#12 key derivation with SHA-1 (RFC 7292 appendix B.2): ID 1 for a key, 2 for an IV, 3 for a MAC
 * key. The password is a BMPString (UTF-16BE with a terminating zero), hence the BMP-only check above.
 */
function pkcs12Kdf(password: string, salt: Buffer, id: 1 | 2 | 3, iterations: number, length: number): Buffer {
  const v = 64;
  const u = 20;
  const bmp = Buffer.alloc(password.length * 2 + 2);
  for (let i = 0; i < password.length; i += 1) bmp.writeUInt16BE(password.charCodeAt(i), i * 2);
  const fill = (source: Buffer): Buffer => Buffer.from(Uint8Array.from({ length: v * Math.ceil(source.length / v) }, (_, i) => source[i % source.length]!));
  const input = Buffer.concat([fill(salt), fill(bmp)]);
  const diversifier = Buffer.alloc(v, id);
  const out: Buffer[] = [];
  for (let produced = 0; produced < length; produced += u) {
    let a = createHash('sha1').update(diversifier).update(input).digest();
    for (let r = 1; r < iterations; r += 1) a = createHash('sha1').update(a).digest();
    out.push(a);
    // Each v-byte block of I becomes I_j + B + 1 (mod 2^(8v)), B being A repeated to v bytes.
    const b = Uint8Array.from({ length: v }, (_, i) => a[i % u]!);
    for (let j = 0; j < input.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k -= 1) {
        const sum = input[j + k]! + b[k]! + carry;
        input[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(out).subarray(0, length);
}

function dataContentInfo(contents: SafeContents): ContentInfo {
  return new ContentInfo({ contentType: OID.data, content: new asn1js.OctetString({ valueHex: contents.toSchema().toBER(false) }) });
}

/** A Buffer's bytes as the ArrayBuffer asn1js expects (a copy: Node pools small Buffers). */
function bytes(buffer: Buffer): ArrayBuffer {
  return new Uint8Array(buffer).buffer;
}
