import type { Config } from '../config/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { Random } from '../shared/random.ts';
import type { Storage } from '../storage/index.ts';
import type { Auditor } from '../audit/auditor.ts';
import type { AccountService } from '../accounts/service.ts';
import type { CertificateAuthority } from '../ca/authority.ts';
import type { Pki } from '../pki/index.ts';
import type { EventChannel } from '../events/index.ts';

/**
 * What every feature is given: configuration, clock, randomness, storage and the core services.
 * Built by the composition root (src/app/runtime.ts) and injected; features import this type,
 * never the root.
 */
export interface Runtime {
  config: Config;
  clock: Clock;
  random: Random;
  storage: Storage;
  pki: Pki;
  auditor: Auditor;
  accounts: AccountService;
  authority: CertificateAuthority;
  /** Cache invalidation between workers and replicas (committed access changes, sessions ended). */
  events: EventChannel;
  close(): Promise<void>;
}
