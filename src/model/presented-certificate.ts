/** What the TLS layer tells us about the client certificate, without Node types. */
export interface PresentedCertificate {
  /** DER of the leaf, null when the client sent none. */
  der: Uint8Array | null;
  /** True when the chain verified against our trust anchors at the handshake. */
  authorized: boolean;
  /** OpenSSL's verdict when not authorized, e.g. CERT_HAS_EXPIRED. */
  authorizationError: string | null;
}
