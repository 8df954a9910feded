import { hkdfSync } from 'node:crypto';
import type { Server } from 'node:tls';

/** TLS session tickets are encrypted with keys every worker and replica derives alike, rotated every 12 hours. */
const ROTATION_MS = 12 * 3_600_000;

/** 48 bytes (name, HMAC and AES keys) for the period `epoch`, from the session secret. */
export function ticketKeysFor(secret: string, epoch: number): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'passerelle tls session tickets', `period ${epoch}`, 48));
}

/**
 * Without shared keys each worker would encrypt tickets with its own random key: a client
 * resuming on another worker (or replica) would fall back to a full handshake. Keys change with
 * the period, so a stolen ticket key opens at most 12 hours of sessions; a ticket issued just
 * before a change costs one full handshake.
 */
export function shareTicketKeys(servers: Server[], secret: string, now: () => number = Date.now): () => void {
  const apply = () => {
    const keys = ticketKeysFor(secret, Math.floor(now() / ROTATION_MS));
    for (const server of servers) server.setTicketKeys(keys);
  };
  apply();
  const next = ROTATION_MS - (now() % ROTATION_MS);
  let timer: NodeJS.Timeout = setTimeout(function rotate() {
    apply();
    timer = setTimeout(rotate, ROTATION_MS);
    timer.unref();
  }, next);
  timer.unref();
  return () => clearTimeout(timer);
}
