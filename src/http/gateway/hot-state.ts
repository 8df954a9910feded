import type { SessionData } from 'express-session';
import type { User } from '../../model/index.ts';
import type { CertificateContext } from '../../authentication/certificate.ts';
import type { EventChannel, Invalidation, StoreWatch } from '../../events/index.ts';
import type { PreparedIdentity } from './identity.ts';

/**
 * What the fast path (fast-path.ts) remembers between requests, and when it forgets it.
 *
 * - Every entry carries the generation it was read in. A `store` event (a committed write to
 *   the tables that decide access — revocation, lockout, deactivation, grant, legacy mapping —
 *   made by this process, another worker, another replica or the CLI) starts a new generation:
 *   everything read before is stale. A `session` event forgets that one session.
 * - A fill that started before an event and ends after it is not kept (the generation moved).
 * - While the event channel or the store watch is unhealthy, `usable` is false and the fast
 *   path steps aside: every request goes through the path that checks the store (fail safe).
 * - `maxAgeMs` bounds everything anyway, for an invalidation lost to a crash between a commit and
 *   its notification.
 */
export interface HotStateOptions {
  events: EventChannel;
  watch: StoreWatch | null;
  now: () => number;
  maxAgeMs?: number;
  maxEntries?: number;
}

interface Stamped {
  generation: number;
  at: number;
}

export interface ConnectionEntry extends Stamped {
  certificate: CertificateContext;
  /** The last Cookie header seen on this connection and the session id it carried (spares the HMAC). */
  cookieHeader?: string | undefined;
  sid?: string | null;
}

export interface SessionEntry extends Stamped {
  data: SessionData;
}

export interface AccessEntry extends Stamped {
  user: User;
}

export interface IdentityEntry extends Stamped {
  prepared: PreparedIdentity;
}

export class HotState {
  generation = 0;
  readonly connections = new WeakMap<object, ConnectionEntry>();
  private readonly sessions = new Map<string, SessionEntry>();
  private readonly access = new Map<string, AccessEntry>();
  /** sid → application id → prepared identity. */
  private readonly identities = new Map<string, Map<string, IdentityEntry>>();
  private readonly maxAgeMs: number;
  private readonly maxEntries: number;
  private readonly unsubscribe: Array<() => void>;

  constructor(private readonly options: HotStateOptions) {
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 100_000;
    this.unsubscribe = [options.events.subscribe((event) => this.apply(event)), options.events.onHealthChange(() => this.forgetAll())];
  }

  /** False while an invalidation could be missed: callers check the store instead. */
  get usable(): boolean {
    return this.options.events.healthy && (this.options.watch?.healthy ?? true);
  }

  apply(event: Invalidation): void {
    if (event.kind === 'store') this.forgetAll();
    else {
      this.sessions.delete(event.sid);
      this.identities.delete(event.sid);
    }
  }

  forgetAll(): void {
    this.generation += 1;
    this.sessions.clear();
    this.access.clear();
    this.identities.clear();
  }

  /** Stamp for a fill that starts now; `keep` refuses it if the generation moved meanwhile. */
  stamp(): Stamped {
    return { generation: this.generation, at: this.options.now() };
  }

  fresh(entry: Stamped | undefined): boolean {
    return entry !== undefined && entry.generation === this.generation && this.options.now() - entry.at < this.maxAgeMs;
  }

  connection(socket: object): ConnectionEntry | undefined {
    const entry = this.connections.get(socket);
    return this.fresh(entry) ? entry : undefined;
  }

  keepConnection(socket: object, entry: ConnectionEntry): void {
    if (entry.generation === this.generation) this.connections.set(socket, entry);
  }

  session(sid: string): SessionEntry | undefined {
    const entry = this.sessions.get(sid);
    return this.fresh(entry) ? entry : undefined;
  }

  keepSession(sid: string, entry: SessionEntry): void {
    if (entry.generation === this.generation) bounded(this.sessions, this.maxEntries).set(sid, entry);
  }

  forgetSession(sid: string): void {
    this.sessions.delete(sid);
    this.identities.delete(sid);
  }

  accessFor(key: string): AccessEntry | undefined {
    const entry = this.access.get(key);
    return this.fresh(entry) ? entry : undefined;
  }

  keepAccess(key: string, entry: AccessEntry): void {
    if (entry.generation === this.generation) bounded(this.access, this.maxEntries).set(key, entry);
  }

  identity(sid: string, applicationId: string): IdentityEntry | undefined {
    const entry = this.identities.get(sid)?.get(applicationId);
    return this.fresh(entry) && entry!.prepared.reuseUntil > this.options.now() ? entry : undefined;
  }

  keepIdentity(sid: string, applicationId: string, entry: IdentityEntry): void {
    if (entry.generation !== this.generation) return;
    let perApp = this.identities.get(sid);
    if (!perApp) bounded(this.identities, this.maxEntries).set(sid, (perApp = new Map<string, IdentityEntry>()));
    perApp.set(applicationId, entry);
  }

  close(): void {
    for (const stop of this.unsubscribe) stop();
  }
}

/** A full map drops its oldest entry (Maps iterate in insertion order). */
function bounded<K, V>(map: Map<K, V>, max: number): Map<K, V> {
  if (map.size >= max) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  return map;
}
