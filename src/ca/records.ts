import type { IssuedCertificate } from '../pki/index.ts';
import type { CertificateKind, CertificateRecord } from '../model/index.ts';

/** Whose certificate it is: a person's, or an establishment's shared workstation. */
export interface CertificateOwner {
  kind: CertificateKind;
  userId: string | null;
  establishmentId: string | null;
  label: string;
}

/** The row of a newly signed certificate (CertificateAuthority.recordIssued inserts it). */
export function certificateRecord(issued: IssuedCertificate, owner: CertificateOwner, now: number): CertificateRecord {
  return {
    serial: issued.serial,
    fingerprintSha256: issued.fingerprintSha256,
    kind: owner.kind,
    userId: owner.kind === 'personal' ? owner.userId : null,
    establishmentId: owner.kind === 'collective' ? owner.establishmentId : null,
    label: owner.label,
    subject: issued.subject,
    notBefore: issued.notBefore.getTime(),
    notAfter: issued.notAfter.getTime(),
    status: 'valid',
    revokedAt: null,
    revocationReason: null,
    pem: issued.pem,
    createdAt: now,
  };
}
