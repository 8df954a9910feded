import type { siteFr } from './site.fr.ts';

/** Help (FAQ), accessibility statement, legal notice and personal-data notice; footer links. */
export const siteEn = {
  'site.link.help': 'Help',
  'site.link.accessibility': 'Accessibility: not compliant',
  'site.link.legal': 'Legal notice',
  'site.link.personalData': 'Personal data',

  'site.contact.title': 'Contact support',
  'site.contact.lead': 'Support is provided by {name}.',
  'site.contact.email': 'Email',
  'site.contact.phone': 'Phone',
  'site.contact.fallback': 'Contact: {contact}',

  'site.faq.title': 'Frequently asked questions',
  'site.faq.noOffer.q': 'The browser does not offer my certificate',
  'site.faq.noOffer.a':
    'Close the browser completely (all its windows) and reopen it: the certificate choice is only offered on first access. Check that the certificate is installed in this very browser (Firefox keeps its own list: Settings › Privacy & Security › View Certificates). If it is not, use the .p12 file saved at pickup again, or request a new certificate for this workstation.',
  'site.faq.lostPdf.q': 'I lost the PDF document or the email holding its password',
  'site.faq.lostPdf.a': 'The withdrawal code only exists in that document. Ask {support} for a new code: the old one is cancelled and two new emails are sent to you.',
  'site.faq.locked.q': 'My withdrawal code is locked or has expired',
  'site.faq.locked.a':
    'After several wrong attempts, or past its expiry date, a withdrawal code stops working. Only {support} can issue a new one: give your identifier and the workstation’s name.',
  'site.faq.interrupted.q': 'The pickup was interrupted (tab closed, crash)',
  'site.faq.interrupted.a':
    'Reopen the pickup page in the same browser, on the same workstation, within the next minutes: it offers to resume and gives you the same certificate, without a new code.',
  'site.faq.newComputer.q': 'I have a new computer',
  'site.faq.newComputer.a':
    'A personal certificate belongs to one workstation. From your portal, “My certificates”, request a certificate for the new workstation, then revoke the old computer’s one if it is no longer used.',
  'site.faq.renew.q': 'My certificate is about to expire',
  'site.faq.renew.a':
    'An email warns you 60 days before. From that workstation, follow the “Renew” link in “My certificates”: the old certificate stays valid until the new one is used.',
  'site.faq.password.q': 'I forgot my password',
  'site.faq.password.a': 'Use “Forgot your password?” on the portal’s sign-in page: a link to choose a new one is sent to you by email.',

  'site.accessibility.title': 'Accessibility statement',
  'site.accessibility.commitment':
    '{publisher} is committed to making its digital services accessible, in accordance with article 47 of French law no. 2005-102 of 11 February 2005. This accessibility statement applies to {platform}.',
  'site.accessibility.status.title': 'Compliance status',
  'site.accessibility.status':
    '{platform} is not compliant with the French accessibility framework (RGAA) version 4.1: no compliance audit has been carried out yet. Every release is checked automatically (axe-core) on its main pages, and the journeys are designed for keyboard and screen-reader use.',
  'site.accessibility.limits.title': 'Non-accessible content',
  'site.accessibility.limits':
    'Installing the certificate and choosing it when signing in happen in browser and operating-system dialogs beyond our control; each browser’s instructions are given as text on the pickup page.',
  'site.accessibility.tech.title': 'Technologies used',
  'site.accessibility.tech': 'HTML5, CSS, JavaScript (only to create the certificate’s key in the browser).',
  'site.accessibility.feedback.title': 'Feedback and contact',
  'site.accessibility.feedback': 'If you cannot access some content or service, contact {support} to be directed to an accessible alternative or to get the content in another form.',
  'site.accessibility.remedy.title': 'Remedies',
  'site.accessibility.remedy':
    'If you reported an accessibility problem and did not get a satisfactory answer, you may write to the Défenseur des droits (online form on defenseurdesdroits.fr, or by free post: Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07) or contact its delegate in your region.',

  'site.legal.title': 'Legal notice',
  'site.legal.publisher.title': 'Publisher',
  'site.legal.publisher': '{platform} is published by {publisher}.',
  'site.legal.host.title': 'Hosting',
  'site.legal.host': '{host}',
  'site.legal.contact.title': 'Contact',
  'site.legal.contact': 'For any question about this service: {support}.',
  'site.legal.cookies.title': 'Cookies',
  'site.legal.cookies':
    'This service only uses cookies strictly needed for it to work (session, form protection, chosen language): they require no consent. No audience-measurement or advertising cookie is set.',
  'site.legal.data': 'For the processing of your personal data, see the {link} page.',

  'site.data.title': 'Personal data',
  'site.data.lead': 'This page informs you, under article 13 of the General Data Protection Regulation (GDPR), about the use of the data {platform} collects, in particular through the registration form.',
  'site.data.controller.title': 'Data controller',
  'site.data.controller': '{publisher}. Data protection officer: {dpo}.',
  'site.data.purpose.title': 'Purposes and legal basis',
  'site.data.purpose':
    'Creating and managing your account, your certificates and your access to the platform’s health applications; recording sign-ins and actions for the security of health data. Legal basis: performance of a task carried out in the public interest (GDPR article 6.1.e) and compliance with the security and traceability obligations on access to health data (article 6.1.c).',
  'site.data.data.title': 'Data processed',
  'site.data.data':
    'Family and given names, email address, profession, RPPS or ADELI number, establishment, reason for the request, identifier, password (kept as a hash, never in clear), certificates issued, and access logs (date, IP address, certificate used, application). The form’s required fields are needed to examine your request: without them it cannot be processed.',
  'site.data.recipients.title': 'Recipients',
  'site.data.recipients':
    'The coordination cell; the applications you use receive your identifier, establishment and certificate number; the hosting provider, for technical operation only. No data is transferred outside the European Union; no automated decision is taken from this data.',
  'site.data.retention.title': 'Retention',
  'site.data.retention':
    'A rejected registration request is deleted; the account is kept while it is active, then deactivated; traceability logs are kept for the period set by the data controller for the security of health data.',
  'site.data.rights.title': 'Your rights',
  'site.data.rights':
    'You have the rights of access, rectification, erasure, restriction and objection. To exercise them, contact {dpo}. If you consider your rights are not respected, you may lodge a complaint with the CNIL (cnil.fr).',

  'site.registration.notice': 'The information on this form is used to examine your request and create your account. More about your data and your rights: {link}.',
} satisfies Record<keyof typeof siteFr, string>;
