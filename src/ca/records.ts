import type { ClientProfile, IssuedCertificate } from '../pki/index.ts';
import type { CertificateKind, CertificateRecord, Establishment, User } from '../model/index.ts';

/** The subject of a personal certificate comes from the account, whatever the CSR said. */
export function personalProfile(user: User, organization: string): ClientProfile {
  return { kind: 'personal', identifier: user.identifier, givenName: user.givenName, familyName: user.familyName, email: user.email, organization };
}

/** A shared workstation: the establishment and the machine label, never a person. */
export function collectiveProfile(establishment: Establishment, machineLabel: string): ClientProfile {
  return { kind: 'collective', establishmentId: establishment.id, establishmentName: establishment.name, machineLabel };
}

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
