import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CertificateRecord } from '../model/index.ts';
import type { Pki } from '../pki/index.ts';
import { buildPkcs12 } from '../pki/index.ts';

export interface BundleFiles {
  dir: string;
  certificate: string;
  key: string;
  chain: string;
  p12: string;
}

/** cert.pem, key.pem (0600), chain.pem and bundle.p12 for a server-side issued certificate. */
export function writeBundle(dir: string, pki: Pki, record: CertificateRecord, keyPem: string, p12Password: string, friendlyName: string): BundleFiles {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files: BundleFiles = {
    dir: path.resolve(dir),
    certificate: path.resolve(dir, 'cert.pem'),
    key: path.resolve(dir, 'key.pem'),
    chain: path.resolve(dir, 'chain.pem'),
    p12: path.resolve(dir, 'bundle.p12'),
  };
  writeFileSync(files.certificate, record.pem, { mode: 0o644 });
  writeFileSync(files.key, keyPem, { mode: 0o600 });
  writeFileSync(files.chain, pki.chainPem, { mode: 0o644 });
  const p12 = buildPkcs12({ certPem: record.pem, keyPem, chainPems: [pki.issuingPem, pki.rootPem], password: p12Password, friendlyName });
  writeFileSync(files.p12, p12, { mode: 0o600 });
  return files;
}
