/** Why a request is refused; each has its own explanatory page and audit reason. */
export type DenialReason =
  | 'no_certificate'
  | 'untrusted_certificate'
  | 'certificate_expired'
  | 'certificate_not_yet_valid'
  | 'certificate_revoked'
  | 'certificate_unknown'
  | 'account_locked'
  | 'account_deactivated'
  | 'account_provisional'
  | 'no_access'
  | 'unknown_application'
  | 'not_member_of_establishment'
  | 'not_coordinator'
  /** The application's sign-in policy (`applications[].signIn.methods`) does not accept this kind of certificate. */
  | 'method_not_allowed';

/** 495/496 are nginx's "SSL certificate error/required": the page explains, the status tells scripts. */
export const DENIAL_STATUS: Record<DenialReason, number> = {
  no_certificate: 496,
  untrusted_certificate: 495,
  certificate_expired: 495,
  certificate_not_yet_valid: 495,
  certificate_revoked: 495,
  certificate_unknown: 403,
  account_locked: 403,
  account_deactivated: 403,
  account_provisional: 403,
  no_access: 403,
  unknown_application: 404,
  not_member_of_establishment: 403,
  not_coordinator: 403,
  method_not_allowed: 403,
};
