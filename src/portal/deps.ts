import type { Runtime } from '../core/runtime.ts';

/** What the portal's domain operations use from the runtime (no HTTP). */
export type PortalDeps = Pick<Runtime, 'config' | 'clock' | 'random' | 'storage' | 'auditor' | 'authority'>;

/** Who is acting and from where, for the audit trail. */
export interface RequestContext {
  ip: string | null;
  lang: 'fr' | 'en';
}
