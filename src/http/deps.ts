import type { Runtime } from '../core/runtime.ts';
import type { SessionBackend } from '../session/index.ts';
import type { SigningKey } from '../identity/index.ts';

/** What every HTTP surface is built from. */
export interface HttpDeps {
  runtime: Runtime;
  sessions: SessionBackend;
  /** Session cookie secrets, newest first (the first signs, all verify); a single string is one secret. */
  sessionSecret: string | string[];
  signingKey: SigningKey;
}
