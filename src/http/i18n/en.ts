import type { MessageKey, Messages } from './fr.ts';
import type { portalFr } from './portal.fr.ts';
import type { withdrawalFr } from './withdrawal.fr.ts';
import type { consoleFr } from './console.fr.ts';
import type { peopleFr } from './people.fr.ts';
import type { servicesFr } from './services.fr.ts';
import type { registryFr } from './registry.fr.ts';
import type { legacyFr } from './legacy.fr.ts';
import type { ssoFr } from './sso.fr.ts';
import type { pscFr } from './psc.fr.ts';
import type { siteFr } from './site.fr.ts';
import { portalEn } from './portal.en.ts';
import { withdrawalEn } from './withdrawal.en.ts';
import { consoleEn } from './console.en.ts';
import { peopleEn } from './people.en.ts';
import { servicesEn } from './services.en.ts';
import { registryEn } from './registry.en.ts';
import { legacyEn } from './legacy.en.ts';
import { ssoEn } from './sso.en.ts';
import { pscEn } from './psc.en.ts';
import { siteEn } from './site.en.ts';

/** English messages: typed against the French dictionary, so keys cannot drift. */
/** Keys of the base dictionary (the area files bring the rest). */
type AreaKey = keyof typeof portalFr | keyof typeof withdrawalFr | keyof typeof consoleFr | keyof typeof peopleFr | keyof typeof servicesFr | keyof typeof registryFr | keyof typeof legacyFr | keyof typeof ssoFr | keyof typeof siteFr | keyof typeof pscFr;
type BaseKey = Exclude<MessageKey, AreaKey>;

const base = {
  'layout.product': 'Passerelle',
  'layout.tagline': 'Secure access to health applications',
  'layout.skip': 'Skip to main content',
  'layout.languages': 'Language',
  'layout.footer': '{platform} — Regional digital health platform',
  'layout.footerNav': 'About this service',
  'layout.titleSuffix': 'Passerelle',

  'login.title': 'Sign in to {application}',
  'login.intro.personal':
    'Your personal certificate identifies you as {identifier}. Enter your password to access {application}.',
  'login.intro.cps': 'Your CPS card identifies you as {identifier}. Enter your password to access {application}.',
  'login.intro.collective':
    'This shared workstation uses a collective certificate. Enter your own identifier and password.',
  'login.establishment': 'Establishment: {name}',
  'login.machine': 'Workstation: {label}',
  'login.identifier': 'Identifier',
  'login.identifier.fixedHint': 'The identifier bound to this workstation’s certificate; it cannot be changed.',
  'login.identifier.fixedHintCps': 'The identifier bound to your CPS card; it cannot be changed.',
  'login.identifier.hint': 'Your identifier looks like firstname.lastname; it is not your email address.',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.forgotPassword': 'Forgot your password?',
  'login.error.invalid_credentials': 'Incorrect identifier or password.',
  'login.error.invalid_password': 'Incorrect password.',
  'login.lockoutWarning': 'After {count} failures in a row, the account is locked.',
  'application.console': 'the coordination console',
  'login.error.session_expired': 'Your session has expired. For your security, please sign in again.',
  'login.remaining.one': 'Warning: you have one attempt left. After the next failure your account will be locked.',
  'login.remaining.other': 'Warning: you have {count} attempts left before your account is locked.',

  'denied.whatNext': 'What to do next',
  'denied.details': 'Details',
  'denied.detail.identifier': 'Identifier',
  'denied.detail.application': 'Application',
  'denied.detail.nationalId': 'National identifier (CPS card)',
  'denied.detail.serial': 'Certificate serial number',
  'denied.detail.expiredOn': 'Expiry date',
  'denied.help': 'Need help? Contact {support}.',
  'denied.reference': 'Reference for support: {code} (HTTP {status})',
  'denied.thisApplication': 'this application',

  'denied.no_certificate.title': 'No certificate presented',
  'denied.no_certificate.lead':
    'Your browser did not present a certificate. The platform’s applications can only be reached from workstations that hold one.',
  'denied.no_certificate.step1':
    'On your personal workstation: install the certificate you withdrew in this browser, then quit the browser completely and reopen it. If a window asks you to choose a certificate, pick the platform’s one.',
  'denied.no_certificate.step2':
    'On a shared workstation: ask your establishment’s referent to install the collective certificate.',
  'denied.no_certificate.step3': 'No certificate yet? Register on the portal: {portal}',

  'denied.untrusted_certificate.title': 'Certificate not recognised',
  'denied.untrusted_certificate.lead':
    'The certificate your browser presented was not issued by the platform or by a recognised authority (CPS card).',
  'denied.untrusted_certificate.step1':
    'If several certificates are installed, quit the browser completely, reopen it and choose the platform’s certificate when asked.',
  'denied.untrusted_certificate.step2':
    'A shared workstation must hold only the collective certificate: report the problem to your establishment’s referent.',
  'denied.untrusted_certificate.step3': 'To get a certificate, go to the portal: {portal}',

  'denied.certificate_expired.title': 'Certificate expired',
  'denied.certificate_expired.lead':
    'The certificate your browser presented has expired: it no longer gives access to the applications.',
  'denied.certificate_expired.step1': 'Request a new certificate for this workstation from your portal: {portal}',
  'denied.certificate_expired.step2':
    'Once the coordination cell approves it, you will receive a new withdrawal code by email.',
  'denied.certificate_expired.step3': 'On a shared workstation, tell your establishment’s referent.',

  'denied.certificate_not_yet_valid.title': 'Certificate not yet valid',
  'denied.certificate_not_yet_valid.lead':
    'The certificate presented is not valid yet. Your computer’s date or time may be wrong.',
  'denied.certificate_not_yet_valid.step1': 'Check your computer’s date and time, then try again.',
  'denied.certificate_not_yet_valid.step2': 'If the problem persists, contact {support}.',

  'denied.certificate_revoked.title': 'Certificate revoked',
  'denied.certificate_revoked.lead':
    'The certificate your browser presented has been revoked: it no longer gives access to the platform’s applications.',
  'denied.certificate_revoked.step1': 'To find out why, contact {support}.',
  'denied.certificate_revoked.step2': 'To get a new certificate, request one from your portal: {portal}',
  'denied.certificate_revoked.step3': 'On a shared workstation, tell your establishment’s referent.',

  'denied.certificate_unknown.title': 'Unknown certificate',
  'denied.certificate_unknown.lead':
    'This certificate is not linked to any account or workstation registered on the platform.',
  'denied.certificate_unknown.step1': 'Contact {support} and give the certificate’s serial number, shown below.',
  'denied.certificate_unknown.step2': 'To get a certificate, register on the portal: {portal}',
  'denied.cps.unknown_holder':
    'Your CPS card is recognised, but no account carries its RPPS or ADELI number. No account yet? Register: {registration} (your card can prefill the form). Already have one? Your RPPS or ADELI number must be on it: ask {support} to add it.',
  'denied.cps.ambiguous_holder':
    'Your CPS card is recognised, but several accounts carry its RPPS or ADELI number: only one may keep it. Report it to {support}.',
  'denied.cps.no_national_id':
    'This certificate comes from a recognised CPS authority but carries no readable national identifier (8 + RPPS number, or 0 + ADELI number). Use the CPS card itself, or contact {support}.',
  'denied.cps.crl_stale':
    'The list of revoked CPS cards is out of date on the platform: as a precaution, CPS cards are refused. Try again later and tell {support}.',

  'denied.account_locked.title': 'Account locked',
  'denied.account_locked.lead': 'After {max} failed sign-in attempts, your account was locked for your security.',
  'denied.account_locked.step1':
    'Contact {support}: your account will be unlocked and a new provisional password will be sent to you by email.',
  'denied.account_locked.step2': 'Then sign in to your portal to choose a new password: {portal}',

  'denied.account_deactivated.title': 'Account deactivated',
  'denied.account_deactivated.lead':
    'Your account has been deactivated: it no longer gives access to the platform’s applications.',
  'denied.account_deactivated.step1': 'If you think this is a mistake, contact {support}.',

  'denied.account_provisional.title': 'Account not activated',
  'denied.account_provisional.lead': 'Your account has not been activated yet.',
  'denied.account_provisional.step1':
    'First sign in to your portal with the provisional password you received by email: {portal}',
  'denied.account_provisional.step2':
    'Replace the provisional password with your own, check your details and accept the terms of use.',
  'denied.account_provisional.step3': 'Then come back to this page.',

  'denied.no_access.title': 'Access not granted',
  'denied.no_access.lead': 'Your account does not have access to {application} yet.',
  'denied.no_access.step1': 'Request access to {application} from your portal, under “Request an application”: {portal}',
  'denied.no_access.step2': 'Access is opened once the coordination cell approves it; you will be told by email.',
  'denied.no_access.step3': 'If you have already asked, your request is probably being reviewed.',

  'denied.unknown_application.title': 'Unknown application',
  'denied.unknown_application.lead': 'No application of the platform matches this address.',
  'denied.unknown_application.step1': 'Check the address, or use the link on your portal: {portal}',
  'denied.unknown_application.step2': 'Then bookmark the correct address.',

  'denied.not_coordinator.title': 'Console reserved for the coordination cell',
  'denied.not_coordinator.lead': 'The coordination console is open only to members of the coordination cell, with their personal certificate.',
  'denied.not_coordinator.step1': 'If you are a member of the cell, use the workstation where your personal certificate is installed (not a shared one).',
  'denied.not_coordinator.step2': 'For your applications, go through your portal: {portal}',
  'denied.not_member_of_establishment.title': 'Establishment not authorised',
  'denied.not_member_of_establishment.lead':
    'This shared workstation belongs to an establishment your account is not attached to.',
  'denied.not_member_of_establishment.step1':
    'Sign in from a workstation of your own establishment or from your personal workstation.',
  'denied.not_member_of_establishment.step2':
    'If you work in this establishment, ask {support} to attach you to it.',

  'upstream.502.title': '{application} is not answering',
  'upstream.504.title': '{application} is taking too long to answer',
  'upstream.lead': 'The application {application} is temporarily unavailable.',
  'upstream.session': 'Your session is not affected: it is still open.',
  'upstream.retry': 'Please try again in a few minutes.',
  'upstream.retryLink': 'Try again now',

  'logout.title': 'Sign out of {application}?',
  'logout.lead': 'You are signed in to {application}. Do you want to sign out?',
  'logout.submit': 'Sign out',

  'loggedOut.title': 'Signed out',
  'loggedOut.lead': 'Your session on {application} is closed.',
  'loggedOut.shared': 'On a shared workstation, close the browser before leaving.',
  'loggedOut.login': 'Sign in to {application} again',

  'error.400.title': 'Bad request',
  'error.403.title': 'Access denied',
  'error.404.title': 'Page not found',
  'error.405.title': 'Method not allowed',
  'error.413.title': 'Request too large',
  'error.429.title': 'Too many requests',
  'error.4xx.title': 'The request could not be completed',
  'error.500.title': 'Internal error',
  'error.503.title': 'Service temporarily unavailable',
  'error.5xx.title': 'Server error',
  'error.4xx.lead': 'Check the address or go back to the previous page.',
  'error.429.lead': 'You have made too many attempts. Please wait a few minutes before trying again.',
  'error.5xx.lead': 'Something went wrong on our side. Please try again in a few minutes.',
  'error.detail': 'Detail: {message}',
  'error.reference': 'Reference: {code} (HTTP {status})',
  'csrf.title': 'Form expired',
  'csrf.lead': 'This form has expired or was already sent. Reload the page and try again.',
  'csrf.back': 'Back to the form',

  'help.title': '{platform}: secure access to health applications',
  'help.intro':
    '{platform} protects access to the regional health platform’s applications. Every workstation needs a certificate, and your personal password is still asked at each sign-in.',
  'help.kinds.title': 'Two kinds of certificate',
  'help.kinds.personal':
    'Personal certificate: for a computer only you use (or your own session on it). One certificate per computer; your identifier is then filled in for you.',
  'help.kinds.collective':
    'Collective certificate: for a workstation shared by several people. Your establishment’s referent installs it; everyone enters their own identifier and password. No other certificate may be installed on it.',
  'help.get.title': 'Getting a personal certificate',
  'help.get.step1': 'Register on the portal: {portal}',
  'help.get.step2':
    'Once the coordination cell approves, you receive your identifier and a provisional password by email: sign in and choose your own password.',
  'help.get.step3':
    'From your portal, request a certificate for each of your computers and access to the applications you need.',
  'help.get.step4':
    'Once approved, you receive a PDF holding your withdrawal code; its password comes in a second email.',
  'help.get.step5':
    'On the computer concerned, in the browser you will use, follow the withdrawal link: the certificate is created and installed on that workstation.',
  'help.apps.title': 'Available applications',
  'help.apps.none': 'No application is configured yet.',
  'help.tech.title': 'Technical information',
  'help.tech.crl': 'Certificate revocation list (CRL)',
  'help.tech.jwks': 'Public keys for assertion signatures (JWKS)',
} satisfies Record<BaseKey, string>;

export const en: Messages = { ...base, ...portalEn, ...withdrawalEn, ...consoleEn, ...peopleEn, ...servicesEn, ...registryEn, ...legacyEn, ...ssoEn, ...siteEn, ...pscEn };
