import type { Runtime } from '../core/runtime.ts';
import type { CertificateContext } from '../authentication/certificate.ts';
import { ConflictError } from '../shared/errors.ts';

/** Renewed certificates already seen in use by this process: one lookup per certificate and replica, not per request. */
const seen = new WeakMap<Runtime, Set<string>>();

/**
 * A renewed certificate presented on the gateway proves the new file is installed and works: only then is
 * the certificate it replaces revoked as `superseded` (until then both stay valid, so a download lost or an
 * import gone wrong locks no one out; left alone, the old one simply expires). Idempotent across replicas:
 * the loser of a race finds it already revoked.
 */
export async function supersedeOnFirstUse(runtime: Runtime, context: CertificateContext, ip: string | null): Promise<void> {
  const { record, owner } = context;
  if (record.kind !== 'personal' || !record.replacesSerial || !owner) return;
  let done = seen.get(runtime);
  if (!done) seen.set(runtime, (done = new Set()));
  if (done.has(record.serial)) return;
  const old = await runtime.storage.certificates.findBySerial(record.replacesSerial);
  if (old?.status === 'valid') {
    try {
      await runtime.authority.revoke(old.serial, 'superseded', { name: owner.identifier, ip });
      await runtime.auditor.record({ action: 'renewal.complete', outcome: 'success', actor: owner.identifier, ip, certificateSerial: record.serial, subject: owner.identifier, details: { revoked: old.serial, trigger: 'first_use' } });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  done.add(record.serial);
}
