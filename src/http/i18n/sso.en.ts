import type { ssoFr } from './sso.fr.ts';

/** Portal single sign-on messages in English: exactly the keys of the French file. */
export const ssoEn: Record<keyof typeof ssoFr, string> = {
  'sso.title': 'Direct access to applications',
  'sso.tiles.hint': 'One click opens the application in this browser. On a workstation holding your personal certificate your password is not asked again; on a shared workstation it is.',
  'sso.tiles.open': 'Open {application}',
  'sso.refused.title': 'Direct access not possible',
  'sso.refused.unknown_application': 'This application does not exist, or no longer does.',
  'sso.refused.no_access': 'You do not have, or no longer have, access to this application. You can request it from “My applications”.',
  'sso.refused.account_not_active': 'Your account is not active: direct access to applications is not possible.',
  'sso.refused.back': 'Back to the home page',
  'sso.notice.expired': 'The direct-access link from the portal has expired: it is valid for one minute only. Enter your password to continue.',
  'sso.notice.used': 'This direct-access link has already been used: it works only once. Enter your password to continue.',
  'sso.notice.invalid': 'This direct-access link is not valid for this application. Enter your password to continue.',
  'sso.notice.shared': 'This is a shared workstation (collective certificate): direct access without a password is not possible here. Enter your identifier and password.',
  'sso.notice.not_personal': 'Direct access without a password needs your personal certificate, and the certificate presented is not one. Sign in as usual.',
  'sso.notice.other_person': 'This direct-access link was requested by someone other than the holder of this workstation’s certificate: it has been refused and the incident recorded. Sign in with your own password.',
};
