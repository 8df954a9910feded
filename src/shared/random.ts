import { randomBytes, randomInt, randomUUID } from 'node:crypto';

/** Randomness behind an interface so tests can make it repeatable where they need to. */
export interface Random {
  bytes(length: number): Buffer;
  uuid(): string;
  /** A string of `length` characters drawn uniformly from `alphabet`. */
  string(length: number, alphabet: string): string;
}

export const cryptoRandom: Random = {
  bytes: (length) => randomBytes(length),
  uuid: () => randomUUID(),
  string(length, alphabet) {
    let out = '';
    for (let i = 0; i < length; i += 1) out += alphabet[randomInt(alphabet.length)];
    return out;
  },
};

/** No 0/O, 1/l/I: codes and passwords that are read off paper. */
export const READABLE_ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
