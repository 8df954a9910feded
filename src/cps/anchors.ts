import { readFileSync } from 'node:fs';
import path from 'node:path';
import { nameToString, x509 } from '../pki/index.ts';
import { PasserelleError } from '../shared/errors.ts';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** One configured CA of the CPS chain (a root or a CA that issues cards). */
export interface Anchor {
  certificate: x509.X509Certificate;
  pem: string;
  subject: string;
  /** Where it came from, for messages: a file path or "inline #n". */
  source: string;
}

function configError(message: string): PasserelleError {
  return new PasserelleError(500, 'cps_config_invalid', message);
}

/** `cps.anchors`: each entry is inline PEM or a PEM file (possibly a bundle); relative paths from the working directory. */
export function loadAnchors(entries: string[]): Anchor[] {
  const anchors: Anchor[] = [];
  entries.forEach((entry, index) => {
    const inline = entry.includes('-----BEGIN');
    const source = inline ? `inline #${index + 1}` : path.resolve(entry);
    let text: string;
    try {
      text = inline ? entry : readFileSync(source, 'utf8');
    } catch (error) {
      throw configError(`cps.anchors: cannot read ${source}: ${(error as Error).message}`);
    }
    const pems = text.match(PEM_CERTIFICATE) ?? [];
    if (pems.length === 0) throw configError(`cps.anchors: no PEM certificate in ${source}`);
    for (const pem of pems) {
      let certificate: x509.X509Certificate;
      try {
        certificate = new x509.X509Certificate(pem);
      } catch (error) {
        throw configError(`cps.anchors: unreadable certificate in ${source}: ${(error as Error).message}`);
      }
      const basic = certificate.getExtension(x509.BasicConstraintsExtension);
      if (!basic?.ca) throw configError(`cps.anchors: ${nameToString(certificate.subjectName)} (${source}) is not a CA certificate`);
      anchors.push({ certificate, pem: `${pem.trim()}\n`, subject: nameToString(certificate.subjectName), source });
    }
  });
  return anchors;
}
