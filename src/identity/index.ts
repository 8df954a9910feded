export { applyIdentityHeaders, stripClientIdentityHeaders, stripHopByHopHeaders, stripSessionCookie, connectionListed, HOP_BY_HOP_HEADERS } from './headers.ts';
export type { AuthMethod, ForwardedInfo, Identity, IdentityHeadersInput } from './headers.ts';
export { amrFor, assertionFailureReason, MAX_ASSERTION_TTL_SECONDS, signAssertion, verifyAssertion, x5tS256 } from './assertion.ts';
export type { AssertionClaims, AssertionFailureReason, SignAssertionInput, VerifyAssertionOptions } from './assertion.ts';
export { jwks, SIGNING_KEY_FILE, signingKeyPath } from './signing-key.ts';
export { listSigningKeys, loadOrCreateSigningKey, rotateSigningKey, SigningKeyRing, PUBLICATION_MARGIN_SECONDS } from './signing-keys.ts';
export type { KeyRingOptions, RotationResult, SigningKeyStatus } from './signing-keys.ts';
export type { SigningKey } from './signing-key.ts';
