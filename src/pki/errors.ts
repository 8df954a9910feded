import { PasserelleError } from '../shared/errors.ts';

export type PkiErrorCode = 'pki_exists' | 'pki_missing' | 'pki_passphrase' | 'pki_invalid' | 'pki_key_not_loaded';

/** Operator-facing errors about the CA material on disk (never shown to end users: status ≥ 500 except pki_exists). */
export class PkiError extends PasserelleError {
  constructor(code: PkiErrorCode, message: string, details?: Record<string, unknown>) {
    super(code === 'pki_exists' ? 409 : 500, code, message, details);
  }
}
