import type { Repositories } from '../storage/index.ts';
import type { ServicesActor, ServicesDeps } from './deps.ts';

export interface ServicesEvent {
  action: string;
  subject: string;
  applicationId?: string | null;
  details?: Record<string, unknown>;
}

/** A success row in the transaction of `repos`, with the actor's name, IP and certificate. */
export function recordIn(deps: ServicesDeps, repos: Repositories, actor: ServicesActor, event: ServicesEvent): Promise<void> {
  return deps.auditor
    .with(repos.audit)
    .record({ outcome: 'success', actor: actor.name, ip: actor.ip ?? null, certificateSerial: actor.certificateSerial ?? null, ...event, details: event.details ?? null });
}

/** Runs an operation; a refusal (bad input, unknown or out-of-scope item) leaves a failure row. */
export function attempt<T>(deps: ServicesDeps, actor: ServicesActor, event: ServicesEvent, fn: () => Promise<T>): Promise<T> {
  return deps.auditor.refusalsOf(
    {
      action: event.action,
      actor: actor.name,
      ip: actor.ip ?? null,
      certificateSerial: actor.certificateSerial ?? null,
      subject: event.subject,
      applicationId: event.applicationId ?? null,
      details: event.details ?? null,
    },
    fn,
  );
}

/** The audit subject of an establishment-wide event (its services, its delegation). */
export function establishmentSubject(establishmentId: string): string {
  return `establishment:${establishmentId}`;
}
