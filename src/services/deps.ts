import type { Runtime } from '../core/runtime.ts';
import type { Actor } from '../model/actor.ts';

/** What the services operations use of the runtime. */
export type ServicesDeps = Pick<Runtime, 'config' | 'clock' | 'random' | 'storage' | 'auditor'>;

/**
 * Who may act where: the coordination cell on the whole region, or an establishment
 * administrator on the establishments the cell gave them (and nothing else).
 */
export type AdminScope = { kind: 'region' } | { kind: 'establishment'; establishmentIds: readonly string[] };

export const REGION: AdminScope = { kind: 'region' };

/** The actor of a services operation (console, admin API, CLI). */
export type ServicesActor = Actor;
