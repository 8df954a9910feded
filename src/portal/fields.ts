import type { PasswordProblem } from './password-policy.ts';

/** Why one form field was refused; each code has a message `portal.error.<code>`. */
export type FieldErrorCode =
  | 'required'
  | 'too_long'
  | 'invalid_characters'
  | 'invalid_email'
  | 'same_email'
  | 'invalid_rpps'
  | 'invalid_choice'
  | 'terms_required'
  | 'wrong_current_password'
  | 'too_many_pending'
  | `password_${PasswordProblem}`;

export interface FieldError {
  field: string;
  code: FieldErrorCode;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Collects every problem of a form in one pass, so the page lists them all at once. */
export class FormCheck {
  readonly errors: FieldError[] = [];

  fail(field: string, code: FieldErrorCode): void {
    if (!this.errors.some((e) => e.field === field)) this.errors.push({ field, code });
  }

  /** Trimmed, inner whitespace collapsed (unless multiline); null when empty and optional. */
  text(field: string, raw: unknown, options: { required?: boolean; max?: number; multiline?: boolean } = {}): string | null {
    const max = options.max ?? 200;
    let value = typeof raw === 'string' ? raw.trim() : '';
    value = options.multiline ? value.replace(/\r\n?/g, '\n') : value.replace(/\s+/g, ' ');
    if (!value) {
      if (options.required) this.fail(field, 'required');
      return null;
    }
    if ([...value].length > max) this.fail(field, 'too_long');
    else if (CONTROL.test(value) || (!options.multiline && /\n/.test(value))) this.fail(field, 'invalid_characters');
    return value;
  }

  email(field: string, raw: unknown, required = true): string | null {
    const value = this.text(field, raw, { required, max: 254 });
    if (value !== null && !EMAIL.test(value)) this.fail(field, 'invalid_email');
    return value;
  }

  /** RPPS (11 digits) or ADELI (9 digits); spaces allowed while typing. */
  rpps(field: string, raw: unknown): string | null {
    const value = this.text(field, raw, { max: 40 });
    if (value === null) return null;
    const digits = value.replace(/[\s.]/g, '');
    if (!/^(\d{9}|\d{11})$/.test(digits)) {
      this.fail(field, 'invalid_rpps');
      return null;
    }
    return digits;
  }

  choice<T extends string>(field: string, raw: unknown, allowed: readonly T[], required = true): T | null {
    const value = typeof raw === 'string' ? raw.trim() : '';
    if (!value) {
      if (required) this.fail(field, 'required');
      return null;
    }
    if (!(allowed as readonly string[]).includes(value)) {
      this.fail(field, 'invalid_choice');
      return null;
    }
    return value as T;
  }

  get ok(): boolean {
    return this.errors.length === 0;
  }
}
