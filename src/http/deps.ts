import type { Runtime } from '../core/runtime.ts';
import type { SessionBackend } from '../session/index.ts';
import type { SigningKey } from '../identity/index.ts';

/** What every HTTP surface is built from. */
export interface HttpDeps {
  runtime: Runtime;
  sessions: SessionBackend;
  sessionSecret: string;
  signingKey: SigningKey;
}
