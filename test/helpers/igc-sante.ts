/**
 * A test PKI shaped like IGC-Santé, generated in the test: root "AC RACINE IGC-SANTE", card
 * issuer "AC IGC-SANTE ELEMENTAIRE PERSONNES", and CPS card certificates whose subject carries
 * the national identifier (`serialNumber=810101010101, CN=810101010101/Hélène Lefèvre`).
 */
import { crypto } from '../../src/pki/crypto.ts';
import { exportPrivateKeyPem, fingerprintSha256, x509 } from '../../src/pki/index.ts';
import type { ClientCertificate } from './gateway.ts';

const RSA = { name: 'RSASSA-PKCS1-v1_5', publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256', modulusLength: 2048 } as const;
const SIGNING = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
const DAY = 86_400_000;
const OID_SERIAL_NUMBER = '2.5.4.5';

let counter = 0;

function serial(): string {
  counter += 1;
  // Positive, 12 bytes, unique within the process.
  return `4${Date.now().toString(16).padStart(13, '0')}${counter.toString(16).padStart(10, '0')}`;
}

function rsaKeys(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(RSA, true, ['sign', 'verify']);
}

function name(parts: x509.JsonNameParams): x509.Name {
  return new x509.Name(parts, { [OID_SERIAL_NUMBER]: 'serialNumber' });
}

export interface CardOptions {
  /** `8`+RPPS or `0`+ADELI, or anything else to test refusals. */
  nationalId: string;
  givenName: string;
  familyName: string;
  /** Where the identifier goes: both (default), only the serialNumber attribute, only the CN prefix. */
  placement?: 'both' | 'serialNumber' | 'cn';
  /** Also write GN/SN attributes. */
  nameAttributes?: boolean;
  notBefore?: Date;
  notAfter?: Date;
  organization?: string;
}

export interface TestCard extends ClientCertificate {
  nationalId: string;
}

export interface IgcSante {
  rootPem: string;
  issuerPem: string;
  /** Root + card issuer, as `cps.anchors` wants them. */
  anchorsPem: string;
  card(options: CardOptions): Promise<TestCard>;
  /** A DER CRL of the card issuer listing `serials`. */
  crl(serials: string[], options?: { thisUpdate?: Date; nextUpdate?: Date }): Promise<Uint8Array>;
}

/** Dates are relative to `now` (pass the gateway's clock). */
export async function createIgcSante(now: Date = new Date(), label = 'IGC-SANTE'): Promise<IgcSante> {
  const rootKeys = await rsaKeys();
  const rootName = name([{ C: [{ printableString: 'FR' }] }, { O: [{ utf8String: 'ASIP-SANTE' }] }, { OU: [{ utf8String: 'IGC-SANTE' }] }, { CN: [{ utf8String: `AC RACINE ${label}` }] }]);
  const root = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serial(),
      subject: rootName,
      issuer: rootName,
      notBefore: new Date(now.getTime() - 365 * DAY),
      notAfter: new Date(now.getTime() + 20 * 365 * DAY),
      publicKey: rootKeys.publicKey,
      signingKey: rootKeys.privateKey,
      signingAlgorithm: SIGNING,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  const issuerKeys = await rsaKeys();
  const issuerName = name([{ C: [{ printableString: 'FR' }] }, { O: [{ utf8String: 'ASIP-SANTE' }] }, { OU: [{ utf8String: 'IGC-SANTE' }] }, { CN: [{ utf8String: `AC ${label} ELEMENTAIRE PERSONNES` }] }]);
  const issuer = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serial(),
      subject: issuerName,
      issuer: rootName,
      notBefore: new Date(now.getTime() - 365 * DAY),
      notAfter: new Date(now.getTime() + 10 * 365 * DAY),
      publicKey: issuerKeys.publicKey,
      signingKey: rootKeys.privateKey,
      signingAlgorithm: SIGNING,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(issuerKeys.publicKey, false, crypto),
        await x509.AuthorityKeyIdentifierExtension.create(rootKeys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  const rootPem = `${root.toString('pem').trim()}\n`;
  const issuerPem = `${issuer.toString('pem').trim()}\n`;

  return {
    rootPem,
    issuerPem,
    anchorsPem: rootPem + issuerPem,
    async card(o) {
      const keys = await rsaKeys();
      const placement = o.placement ?? 'both';
      const display = `${o.givenName} ${o.familyName}`;
      const parts: x509.JsonNameParams = [
        { C: [{ printableString: 'FR' }] },
        { O: [{ utf8String: o.organization ?? 'CABINET MEDICAL DU PORT' }] },
        { OU: [{ utf8String: '10B0152872' }] },
      ];
      if (o.nameAttributes) parts.push({ '2.5.4.4': [{ utf8String: o.familyName }] }, { '2.5.4.42': [{ utf8String: o.givenName }] });
      if (placement !== 'cn') parts.push({ [OID_SERIAL_NUMBER]: [{ printableString: o.nationalId }] });
      parts.push({ CN: [{ utf8String: placement === 'serialNumber' ? display : `${o.nationalId}/${display}` }] });
      const cert = await x509.X509CertificateGenerator.create(
        {
          serialNumber: serial(),
          subject: name(parts),
          issuer: issuer.subjectName,
          notBefore: o.notBefore ?? new Date(now.getTime() - DAY),
          notAfter: o.notAfter ?? new Date(now.getTime() + 3 * 365 * DAY),
          publicKey: keys.publicKey,
          signingKey: issuerKeys.privateKey,
          signingAlgorithm: SIGNING,
          extensions: [
            new x509.BasicConstraintsExtension(false, undefined, true),
            new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
            new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth], false),
            await x509.AuthorityKeyIdentifierExtension.create(issuerKeys.publicKey, false, crypto),
          ],
        },
        crypto,
      );
      const der = new Uint8Array(cert.rawData);
      return { certPem: cert.toString('pem'), keyPem: await exportPrivateKeyPem(keys.privateKey), serial: cert.serialNumber.toLowerCase(), fingerprint: fingerprintSha256(der), nationalId: o.nationalId };
    },
    async crl(serials, o = {}) {
      const thisUpdate = o.thisUpdate ?? new Date(now.getTime() - 3_600_000);
      const crl = await x509.X509CrlGenerator.create(
        {
          issuer: issuer.subjectName,
          thisUpdate,
          nextUpdate: o.nextUpdate ?? new Date(thisUpdate.getTime() + 7 * DAY),
          signingKey: issuerKeys.privateKey,
          signingAlgorithm: SIGNING,
          entries: serials.map((serialNumber) => ({ serialNumber, revocationDate: thisUpdate, reason: x509.X509CrlReason.keyCompromise })),
        },
        crypto,
      );
      return new Uint8Array(crl.rawData);
    },
  };
}
