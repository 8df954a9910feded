import * as asn1js from 'asn1js';
import { AttributeTypeAndValue, CertificationRequest } from 'pkijs';
import { derToPem } from './bytes.ts';

const COMMON_NAME = '2.5.4.3';

/**
 * PKCS#10 request signed with the new private key (proof of possession). The subject is only a hint:
 * the server writes the account's names into the certificate, whatever the CSR says.
 */
export async function buildCsr(keys: CryptoKeyPair, commonName: string): Promise<string> {
  const csr = new CertificationRequest();
  csr.version = 0;
  csr.subject.typesAndValues.push(new AttributeTypeAndValue({ type: COMMON_NAME, value: new asn1js.Utf8String({ value: commonName.slice(0, 64) || 'passerelle' }) }));
  csr.attributes = [];
  await csr.subjectPublicKeyInfo.importKey(keys.publicKey);
  await csr.sign(keys.privateKey, 'SHA-256');
  return derToPem(csr.toSchema().toBER(false), 'CERTIFICATE REQUEST');
}
