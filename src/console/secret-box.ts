import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import type { Random } from '../shared/random.ts';

/**
 * AES-256-GCM for small secrets at rest (TOTP seeds). The key is derived with HKDF from
 * configured key material and a purpose, so the same material never keys two uses; the
 * associated data (e.g. the user id) pins a ciphertext to its row.
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(
    keyMaterial: string,
    purpose: string,
    private readonly random: Random,
  ) {
    this.#key = Buffer.from(hkdfSync('sha256', keyMaterial, 'passerelle', purpose, 32));
  }

  seal(plain: string, associatedData: string): string {
    const iv = this.random.bytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(associatedData));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `v1.${iv.toString('base64url')}.${body.toString('base64url')}`;
  }

  /** Throws when the key, the data or the associated data do not match. */
  open(sealed: string, associatedData: string): string {
    const [version, ivText, bodyText] = sealed.split('.');
    if (version !== 'v1' || !ivText || !bodyText) throw new Error('unknown sealed format');
    const body = Buffer.from(bodyText, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(ivText, 'base64url'));
    decipher.setAAD(Buffer.from(associatedData));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8');
  }
}
