/** CPS cards (IGC-Santé certificates on health professionals' smart cards) on the gateway. */
export { CpsTrust, type RecognisedCard } from './trust.ts';
export { parseNationalId, nationalIdFrom, type NationalId, type NationalIdKind } from './national-id.ts';
export { readCard, type CardFacts } from './card.ts';
export { findCardHolder } from './holders.ts';
export { cpsTrustFor, registerCpsTrust, unregisterCpsTrust } from './registry.ts';
export { CPS_CARD_LABEL } from './types.ts';
export { openPrefill, prefillKey, sealPrefill, type RegistrationPrefill } from './prefill.ts';
export { CARD_READ_FAILURES, registrationEntry, registrationHostUrl, type CardReadFailure, type RegistrationEntry } from './registration.ts';
export type { CpsCardInfo, CpsDenial, CpsProblem } from './types.ts';
