import type { TLSSocket } from 'node:tls';
import type { Config } from '../config/index.ts';

/**
 * TLS 1.2 limited to forward-secret AEAD suites (no CBC: LUCKY13 and friends); TLS 1.3 keeps
 * OpenSSL's three suites, listed here because a `ciphers` string without them would also
 * drop TLS 1.3. RSA variants stay for operators who bring an RSA server key.
 */
export const TLS_CIPHERS = [
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

export const TLS_PROTOCOL = { minVersion: 'TLSv1.2', ciphers: TLS_CIPHERS, honorCipherOrder: true } as const;

/**
 * `secureConnection` handler for the gateway (`requestCert`, `rejectUnauthorized: false`).
 * When a client certificate fails verification (e.g. a corrupted signature), OpenSSL leaves
 * the failure in this thread's error queue; on TLS 1.2 the connection's next read then
 * mistakes it for a fatal error and Node drops the socket — an empty reply, no page, no
 * audit line. Reading the peer certificate through Node's X509 API clears the queue, so the
 * request reaches the pipeline and gets its 495 page like any other untrusted certificate.
 */
export function clearStaleVerifyError(socket: TLSSocket): void {
  if (socket.authorized) return;
  socket.getPeerX509Certificate();
}

/**
 * Whether browsers must trust our root to reach the platform without a warning: yes when either
 * listener serves the PKI's own server certificate (no `listeners.*.tls` files).
 */
export function ownServerCertificateInUse(config: Config): boolean {
  return config.listeners.public.tls === null || config.listeners.gateway.tls === null;
}
