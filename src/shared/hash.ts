import { createHash } from 'node:crypto';

/** SHA-256 of bytes in lower-case hex: certificate fingerprints (DER) and hashed one-time tokens. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
