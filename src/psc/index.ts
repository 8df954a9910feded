/** Pro Santé Connect (issue 12): the national OpenID Connect provider for health professionals, as a sign-in method. */
export { PscClient, PscError, type PscFailure, type PscFlow, type PscSignIn } from './client.ts';
export { professionalFrom, professionLabel, type PscProfessional } from './claims.ts';
export { decidePscSignIn, type PscSignInDecision } from './sign-in.ts';
export { allowsMethod, allowsCertificate, allowsCertificateKind, allowsPsc } from './policy.ts';
export { evaluatePscSession, type PscSessionAuth, type PscSessionVerdict } from './session.ts';
export { purgePscSessions, pscSessionRetentionMs } from './purge.ts';
