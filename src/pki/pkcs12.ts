import { createHash, createHmac, createPrivateKey, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { BadRequestError } from '../shared/errors.ts';

/**
 * PKCS#12 (.p12) bundles for the bootstrap CLI (server-side keys). Browsers build their own on the
 * withdrawal page; this one only has to import everywhere a clinician might double-click it.
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
 * node-forge supplies the PKCS#12 KDF and 3DES PBE; the structure is built here from DER so that EC and
 * RSA keys and EC-signed CA certificates all work (forge's own toPkcs12Asn1 re-encodes certificates and
 * only understands RSA).
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
  sha1: '1.3.14.3.2.26',
} as const;

const { asn1 } = forge;
const U = asn1.Class.UNIVERSAL;
const T = asn1.Type;

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

  const localKeyId = createHash('sha1').update(leaf.raw).digest();
  const attributes = bagAttributes(localKeyId, input.friendlyName);

  const certBags = [certBag(leaf.raw, attributes), ...chain.map((c) => certBag(c.raw))];
  const keyBag = seq([oid(OID.pkcs8ShroudedKeyBag), explicit0(encryptKey(key, input.password, input.encryption ?? '3des', iterations)), attributes]);

  const authSafe = seq([dataContentInfo(seq(certBags)), dataContentInfo(seq([keyBag]))]);
  const authSafeDer = der(authSafe);

  return Buffer.from(
    der(
      seq([
        integer(3),
        seq([oid(OID.data), explicit0(octets(authSafeDer))]),
        macData(authSafeDer, input.password, iterations),
      ]),
    ),
    'binary',
  );
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

function encryptKey(key: KeyObject, password: string, encryption: Pkcs12Encryption, iterations: number): forge.asn1.Asn1 {
  if (encryption === 'aes256') {
    // Node (OpenSSL) writes PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC.
    const encrypted = key.export({ type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase: password });
    return asn1.fromDer(encrypted.toString('binary'));
  }
  const privateKeyInfo = asn1.fromDer(key.export({ type: 'pkcs8', format: 'der' }).toString('binary'));
  return forge.pki.encryptPrivateKeyInfo(privateKeyInfo, password, { algorithm: '3des', count: iterations, saltSize: 8 });
}

/** MacData: HMAC-SHA1 over the AuthenticatedSafe, key from the PKCS#12 KDF (ID 3). */
function macData(authSafeDer: string, password: string, iterations: number): forge.asn1.Asn1 {
  const salt = randomBytes(8);
  const macKey = forge.pkcs12.generateKey(password, forge.util.createBuffer(salt.toString('binary')), 3, iterations, 20).getBytes();
  const mac = createHmac('sha1', Buffer.from(macKey, 'binary')).update(Buffer.from(authSafeDer, 'binary')).digest();
  return seq([seq([seq([oid(OID.sha1), asn1.create(U, T.NULL, false, '')]), octets(mac.toString('binary'))]), octets(salt.toString('binary')), integer(iterations)]);
}

function bagAttributes(localKeyId: Buffer, friendlyName: string): forge.asn1.Asn1 {
  return asn1.create(U, T.SET, true, [
    seq([oid(OID.localKeyId), asn1.create(U, T.SET, true, [octets(localKeyId.toString('binary'))])]),
    // forge writes BMPSTRING values as UTF-16 code units, so accents survive.
    seq([oid(OID.friendlyName), asn1.create(U, T.SET, true, [asn1.create(U, T.BMPSTRING, false, friendlyName)])]),
  ]);
}

function certBag(certDer: Buffer, attributes?: forge.asn1.Asn1): forge.asn1.Asn1 {
  const bag = [oid(OID.certBag), explicit0(seq([oid(OID.x509Certificate), explicit0(octets(certDer.toString('binary')))]))];
  if (attributes) bag.push(attributes);
  return seq(bag);
}

function dataContentInfo(safeContents: forge.asn1.Asn1): forge.asn1.Asn1 {
  return seq([oid(OID.data), explicit0(octets(der(safeContents)))]);
}

function seq(items: forge.asn1.Asn1[]): forge.asn1.Asn1 {
  return asn1.create(U, T.SEQUENCE, true, items);
}

function oid(value: string): forge.asn1.Asn1 {
  return asn1.create(U, T.OID, false, asn1.oidToDer(value).getBytes());
}

function octets(bytes: string): forge.asn1.Asn1 {
  return asn1.create(U, T.OCTETSTRING, false, bytes);
}

function integer(value: number): forge.asn1.Asn1 {
  return asn1.create(U, T.INTEGER, false, asn1.integerToDer(value).getBytes());
}

function explicit0(inner: forge.asn1.Asn1): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [inner]);
}

function der(value: forge.asn1.Asn1): string {
  return asn1.toDer(value).getBytes();
}
