import { BadRequestError } from '../shared/errors.ts';

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

export function requireEmail(value: string, field = 'email'): string {
  const email = value.trim();
  if (!EMAIL.test(email) || email.length > 254) throw new BadRequestError('invalid_email', `${field} is not a valid e-mail address`, { field });
  return email;
}

export function requireText(value: string | undefined, field: string, max = 200): string {
  const text = (value ?? '').trim().replace(/\s+/g, ' ');
  if (!text) throw new BadRequestError('missing_field', `${field} is required`, { field });
  if (text.length > max) throw new BadRequestError('field_too_long', `${field} is longer than ${max} characters`, { field });
  if (/[\u0000-\u001f\u007f]/.test(text)) throw new BadRequestError('invalid_characters', `${field} contains control characters`, { field });
  return text;
}

/** FINESS: 9 characters, digits (Corsica uses 2A/2B in the department part). */
export function requireFiness(value: string): string {
  const finess = value.trim().toUpperCase();
  if (!/^(\d{2}|2A|2B)\d{7}$/.test(finess)) throw new BadRequestError('invalid_finess', 'FINESS must be 9 characters (e.g. 210780581)', { field: 'finess' });
  return finess;
}
