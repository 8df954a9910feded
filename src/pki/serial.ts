import { randomBytes } from 'node:crypto';

/**
 * 16 random bytes as lower-case hex. The top byte is forced into 0x40–0x7f so the INTEGER stays positive
 * and exactly 16 bytes long in DER (no sign padding, no stripped leading zero): the string we store is
 * byte for byte what openssl, TLS peers and CRLs show. 126 bits of entropy.
 */
export function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x3f) | 0x40;
  return bytes.toString('hex');
}

/** Canonical serial form: lower-case hex, no separators, no leading zero bytes. */
export function normalizeSerial(serial: string): string | null {
  const hex = serial.trim().toLowerCase().replace(/[:\s]/g, '');
  if (!/^[0-9a-f]+$/.test(hex)) return null;
  const even = hex.length % 2 === 0 ? hex : `0${hex}`;
  const stripped = even.replace(/^(00)+(?=..)/, '');
  return stripped;
}
