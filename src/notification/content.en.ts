/** English mail wording, the alternative to the French reference. */
import { formatDateTime, isSuperseded, revocationReasonText } from './format.ts';
import type { MailContents } from './types.ts';

const CONTACT_IF_NOT_YOU = 'If you did not make this request, please tell the coordination team at once.';

export const contentEn: MailContents = {
  'registration.received': (d) => ({
    subject: 'Registration request received',
    greeting: `Hello ${d.givenName} ${d.familyName},`,
    blocks: [
      { kind: 'p', text: 'We have received your registration request. The coordination team will review it; you will get an email as soon as it has been processed.' },
      { kind: 'p', text: 'No account is created before that approval: there is nothing else for you to do for now.' },
      { kind: 'p', text: 'If you did not ask to register, you can ignore this message.' },
    ],
  }),
  'registration.approved': (d) => ({
    subject: 'Your account has been created',
    greeting: `Hello ${d.givenName},`,
    blocks: [
      { kind: 'p', text: 'The coordination team has approved your registration. Here are your sign-in details.' },
      { kind: 'value', label: 'Identifier', value: d.identifier },
      { kind: 'value', label: 'Provisional password', value: d.provisionalPassword },
      { kind: 'p', text: 'Your identifier is permanent; it is not your email address. The password is case-sensitive.' },
      { kind: 'link', label: 'Sign in to your account', url: d.portalUrl },
      { kind: 'p', text: `At your first sign-in you will have to replace this provisional password with a personal one. It stops working on ${formatDateTime(d.expiresAt, 'en')} if it has not been used.` },
      { kind: 'warning', text: 'Do not share these details with anyone: the coordination team will never ask for your password.' },
    ],
  }),
  invitation: (d) => ({
    subject: d.reminder > 0 ? 'Reminder: your account is waiting' : 'Invitation to the platform: your account is ready',
    greeting: `Hello ${d.givenName},`,
    blocks: [
      {
        kind: 'p',
        text:
          d.reminder > 0
            ? 'The coordination team created an account for you on the platform, which you have not activated yet. Here are new sign-in details: this email replaces the previous ones, whose password no longer works.'
            : 'The coordination team created an account for you on the platform. Here are your sign-in details.',
      },
      { kind: 'value', label: 'Identifier', value: d.identifier },
      { kind: 'value', label: 'Provisional password', value: d.provisionalPassword },
      { kind: 'link', label: 'Activate your account', url: d.portalUrl },
      { kind: 'p', text: `At your first sign-in you will choose your password and accept the terms of use. This invitation expires on ${formatDateTime(d.expiresAt, 'en')}; after that, ask the coordination team to send it again.` },
      { kind: 'warning', text: 'Do not share these details with anyone: the coordination team will never ask for your password.' },
    ],
  }),
  'registration.rejected': (d) => ({
    subject: 'Your registration request was not accepted',
    greeting: `Hello ${d.givenName},`,
    blocks: [
      { kind: 'p', text: 'The coordination team could not accept your registration request, for the following reason:' },
      { kind: 'p', text: d.reason },
      { kind: 'p', text: 'If you have any questions, please contact the coordination team.' },
    ],
  }),
  'withdrawal.document': (d) => ({
    subject: d.collective ? `Collecting the collective certificate of the workstation “${d.label}” (document 1/2)` : 'Collecting your certificate (document 1/2)',
    greeting: d.collective ? 'Hello,' : `Hello ${d.holderName},`,
    blocks: [
      {
        kind: 'p',
        text: d.collective
          ? `The request for a collective certificate for the shared workstation "${d.label}" of ${d.holderName} has been approved. You receive this message as the establishment's referent.`
          : `Your certificate request for the workstation "${d.label}" has been approved.`,
      },
      { kind: 'p', text: 'The attached PDF document holds the certificate withdrawal code. It opens only with a password, sent to you in a second email.' },
      { kind: 'link', label: 'Withdrawal site', url: d.withdrawalUrl },
      {
        kind: 'p',
        text: `Collect the certificate from the workstation that will use it, in the browser that will use it. The code works once and expires on ${formatDateTime(d.expiresAt, 'en')}.`,
      },
      { kind: 'warning', text: 'This document is confidential: do not pass it on to anyone.' },
    ],
  }),
  'withdrawal.password': (d) => ({
    subject: 'Password of the withdrawal document (2/2)',
    greeting: 'Hello,',
    blocks: [
      { kind: 'p', text: `Here is the password that opens the PDF withdrawal document for the certificate of the workstation "${d.label}" (${d.holderName}), sent in a separate email.` },
      { kind: 'value', label: 'Document password', value: d.pdfPassword },
      { kind: 'p', text: 'This password only opens the document: it is neither your sign-in password nor the withdrawal code.' },
      { kind: 'warning', text: 'Do not share this password with anyone.' },
    ],
  }),
  'certificate-request.rejected': (d) => ({
    subject: 'Your certificate request was not accepted',
    greeting: `Hello ${d.holderName},`,
    blocks: [
      { kind: 'p', text: `The coordination team could not accept the certificate request for the workstation "${d.label}", for the following reason:` },
      { kind: 'p', text: d.reason },
      { kind: 'p', text: 'You can make a new request from your account, or contact the coordination team.' },
    ],
  }),
  'access.granted': (d) => ({
    subject: `Access to ${d.applicationName} granted`,
    greeting: `Hello ${d.givenName},`,
    blocks: [
      { kind: 'p', text: `The coordination team has given you access to ${d.applicationName}.` },
      { kind: 'link', label: 'Open the application', url: d.applicationUrl },
      { kind: 'p', text: 'Use a workstation where your certificate is installed; you will be asked for your password.' },
    ],
  }),
  'access.rejected': (d) => ({
    subject: `Access to ${d.applicationName} not granted`,
    greeting: `Hello ${d.givenName},`,
    blocks: [
      { kind: 'p', text: `The coordination team could not accept your request for access to ${d.applicationName}, for the following reason:` },
      { kind: 'p', text: d.reason },
    ],
  }),
  'password-reset.link': (d) => ({
    subject: 'Choose a new password',
    greeting: `Hello ${d.givenName},`,
    blocks: [
      { kind: 'p', text: 'You reported a forgotten password. To choose a new password, open the following link:' },
      { kind: 'link', label: 'Choose a new password', url: d.resetUrl },
      { kind: 'value', label: 'Identifier', value: d.identifier },
      { kind: 'p', text: `This link works once and expires on ${formatDateTime(d.expiresAt, 'en')}. Until it is used, your current password keeps working.` },
      { kind: 'warning', text: 'If you did not ask for this, ignore this message: nothing changes. If it happens again, tell the coordination team.' },
    ],
  }),
  'password-reset.done': (d) => ({
    subject: 'Your password has been changed',
    greeting: `Hello ${d.givenName},`,
    blocks: [
      { kind: 'p', text: `The password of account ${d.identifier} was changed on ${formatDateTime(d.changedAt, 'en')} with a “forgotten password” link. Sessions opened with the previous password have been closed.` },
      { kind: 'link', label: 'Sign in to your account', url: d.portalUrl },
      { kind: 'warning', text: CONTACT_IF_NOT_YOU },
    ],
  }),
  'account.unlocked': (d) => ({
    subject: 'Your account has been unlocked',
    greeting: `Hello ${d.givenName},`,
    blocks: [
      { kind: 'p', text: 'Your account was locked after several wrong passwords. The coordination team has unlocked it and given you a new provisional password.' },
      { kind: 'value', label: 'Identifier', value: d.identifier },
      { kind: 'value', label: 'Provisional password', value: d.provisionalPassword },
      { kind: 'link', label: 'Sign in to your account', url: d.portalUrl },
      { kind: 'p', text: `You will have to replace it when you sign in. It stops working on ${formatDateTime(d.expiresAt, 'en')} if it has not been used.` },
    ],
  }),
  'email-change.confirm': (d) => ({
    subject: 'Confirm your new email address',
    greeting: `Hello ${d.givenName},`,
    blocks: [
      { kind: 'p', text: 'You asked to receive the platform’s messages at this address. To confirm the change, open the following link:' },
      { kind: 'link', label: 'Confirm this address', url: d.confirmUrl },
      { kind: 'p', text: `This link expires on ${formatDateTime(d.expiresAt, 'en')}. Until it is opened, your previous address stays in use.` },
      { kind: 'p', text: 'If you did not ask for this change, ignore this message.' },
    ],
  }),
  'email-change.notice': (d) => ({
    subject: 'Change of your account’s email address',
    greeting: `Hello ${d.givenName},`,
    blocks: [
      { kind: 'p', text: 'A change of your account’s email address has been requested. Once confirmed, the new address will receive the platform’s messages:' },
      { kind: 'value', label: 'New address', value: d.newEmail },
      { kind: 'warning', text: CONTACT_IF_NOT_YOU },
    ],
  }),
  'renewal.notice': (d) => ({
    subject: 'Your certificate is about to expire',
    greeting: `Hello ${d.holderName},`,
    blocks: [
      { kind: 'p', text: `The certificate of the workstation "${d.label}" (serial number ${d.serial}) expires on ${formatDateTime(d.notAfter, 'en')}. After that date, this workstation will no longer reach the applications.` },
      d.collective
        ? { kind: 'p', text: 'A collective certificate is not renewed from the workstation: as the establishment\'s referent, ask the coordination cell for a new one before that date.' }
        : { kind: 'p', text: 'Renew it now from that same workstation, in the browser where it is installed: no new withdrawal code is needed.' },
      { kind: 'link', label: d.collective ? 'Professional portal' : 'Renew the certificate', url: d.renewUrl },
    ],
  }),
  'certificate.revoked': (d) =>
    isSuperseded(d.reason)
      ? {
          subject: 'Certificate replaced',
          greeting: `Hello ${d.holderName},`,
          blocks: [
            { kind: 'p', text: `The previous certificate of the workstation "${d.label}" (serial number ${d.serial}) has been revoked: the renewed certificate has just been used for the first time and replaces it. Remove the old one from your browser so that it is no longer offered.` },
            { kind: 'warning', text: 'If you did not renew this certificate, please tell the coordination team at once.' },
          ],
        }
      : {
          subject: 'Certificate revoked',
          greeting: `Hello ${d.holderName},`,
          blocks: [
            { kind: 'p', text: `The certificate of the workstation "${d.label}" (serial number ${d.serial}) has been revoked: it no longer gives access to the applications. Reason: ${revocationReasonText(d.reason, 'en')}.` },
            { kind: 'p', text: 'To equip this workstation again, request a new certificate from your account.' },
            { kind: 'warning', text: 'If you did not revoke this certificate, please tell the coordination team at once.' },
          ],
        },
};
