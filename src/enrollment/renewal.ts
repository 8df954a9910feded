import type { Runtime } from '../core/runtime.ts';
import type { CertificateContext } from '../authentication/certificate.ts';
import { ForbiddenError } from '../shared/errors.ts';
import type { Repositories } from '../storage/index.ts';
import type { CertificateRecord, User } from '../model/index.ts';
import { enqueueMail } from '../notification/outbox.ts';
import { csrPublicKey, readCsr } from './withdrawal-csr.ts';

const DAY_MS = 86_400_000;

/** Where a personal holder renews: the renewal page on the first application host of the gateway. */
export function renewalUrl(runtime: Runtime): string {
  const { config } = runtime;
  const host = config.applications[0]?.host;
  if (!host) return new URL('/', config.publicUrl).toString();
  const port = config.listeners.gateway.port;
  return `https://${host}${port === 443 ? '' : `:${port}`}/.passerelle/renouveler`;
}

/**
 * Warns the holder of every valid certificate that expires within `renewal.noticeDays` (once per
 * certificate): the person for a personal certificate, the establishment's referent for a collective one.
 * Each notice is claimed and queued in its own transaction, so replicas running the job at once send one mail.
 */
export async function sendRenewalNotices(runtime: Runtime): Promise<number> {
  const { storage, clock, random, auditor, config } = runtime;
  const now = clock.now().getTime();
  const due = await storage.certificates.listExpiringUnnotified(now, now + config.renewal.noticeDays * DAY_MS);
  let sent = 0;
  for (const certificate of due) {
    const queued = await storage.transaction(async (repos) => {
      if (!(await repos.certificates.markRenewalNotified(certificate.serial, now))) return false;
      const holder = await holderOf(runtime, repos, certificate);
      // No one to tell (account gone or deactivated): the claim stays, so it is not retried daily.
      if (!holder) return false;
      await enqueueMail(repos, { clock, random }, {
        to: holder.email,
        template: 'renewal.notice',
        lang: holder.lang,
        data: { holderName: holder.name, label: certificate.label, serial: certificate.serial, notAfter: certificate.notAfter, renewUrl: holder.renewUrl, collective: certificate.kind === 'collective' },
      });
      await auditor.with(repos.audit).record({
        action: 'certificate.renewal_notice',
        outcome: 'info',
        actor: 'system',
        certificateSerial: certificate.serial,
        subject: holder.subject,
        details: { kind: certificate.kind, notAfter: new Date(certificate.notAfter).toISOString() },
      });
      return true;
    });
    if (queued) sent += 1;
  }
  return sent;
}

interface Holder {
  email: string;
  name: string;
  lang: 'fr' | 'en';
  subject: string;
  renewUrl: string;
}

async function holderOf(runtime: Runtime, repos: Repositories, certificate: CertificateRecord): Promise<Holder | null> {
  if (certificate.kind === 'personal') {
    const user = certificate.userId ? await repos.users.findById(certificate.userId) : undefined;
    if (!user || user.status === 'deactivated') return null;
    return { email: user.email, name: `${user.givenName} ${user.familyName}`, lang: user.lang, subject: user.identifier, renewUrl: renewalUrl(runtime) };
  }
  const establishment = certificate.establishmentId ? await repos.establishments.findById(certificate.establishmentId) : undefined;
  if (!establishment) return null;
  // A collective certificate is not renewed from the machine: the referent asks the cell for a new one.
  return { email: establishment.referentEmail, name: establishment.name, lang: 'fr', subject: `establishment:${establishment.id}`, renewUrl: new URL('/', runtime.config.publicUrl).toString() };
}

export interface RenewalResult {
  certificate: string;
  chain: string[];
  serial: string;
  label: string;
}

/**
 * Renewal from the workstation, with the current personal certificate (journey 12): a new key made in
 * the browser, a new certificate for the same person and label. The current one stays valid until the new
 * one is presented on the gateway (then revoked as `superseded`, see renewal-supersede.ts) or until it expires.
 */
export class RenewalService {
  constructor(private readonly runtime: Runtime) {}

  /** The holder of a personal certificate whose account may still sign in; refuses collective ones. */
  holder(current: CertificateContext): User {
    if (current.record.kind !== 'personal' || !current.owner) {
      throw new ForbiddenError('renewal_collective', 'a collective certificate is not renewed from the workstation: the establishment referent asks the coordination cell for a new one');
    }
    const { status } = current.owner;
    if (status === 'locked' || status === 'deactivated') throw new ForbiddenError(`account_${status}`, `this account is ${status}`);
    return current.owner;
  }

  async renew(current: CertificateContext, csrText: string, ip: string | null): Promise<RenewalResult> {
    const { runtime } = this;
    const { authority } = runtime;
    const user = this.holder(current);
    const publicKey = await csrPublicKey(readCsr(csrText));
    const issued = await authority.sign(authority.personalProfile(user), publicKey);
    const actor = { name: user.identifier, ip };
    const replaces = current.record.serial;
    const { record, abandoned } = await runtime.storage.transaction(async (repos) => {
      // An earlier renewal of this certificate that was never confirmed: its key may sit in a download folder.
      const earlier = await repos.certificates.pendingReplacements(replaces);
      for (const serial of earlier) {
        const pending = await repos.certificates.findBySerial(serial);
        if (pending) await authority.revokeIn(repos, pending, 'superseded', actor, { details: { renewalAbandoned: true }, notify: false });
      }
      const owner = { kind: 'personal' as const, userId: user.id, establishmentId: null, label: current.record.label, subject: user.identifier, replacesSerial: replaces };
      const record = await authority.recordIssued(repos, issued, owner, actor, { replaces });
      await runtime.auditor.with(repos.audit).record({ action: 'renewal.issue', outcome: 'success', actor: actor.name, ip, certificateSerial: record.serial, subject: user.identifier, details: { replaces } });
      return { record, abandoned: earlier.length };
    });
    if (abandoned > 0) await authority.publishCrl();
    return { certificate: record.pem, chain: [runtime.pki.issuingPem, runtime.pki.rootPem], serial: record.serial, label: record.label };
  }
}
