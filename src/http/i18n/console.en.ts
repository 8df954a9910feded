import type { consoleFr } from './console.fr.ts';

/** Console messages in English: exactly the keys of the French file. */
export const consoleEn: Record<keyof typeof consoleFr, string> = {
  'console.nav.label': 'Coordination console',
  'console.nav.dashboard': 'Dashboard',
  'console.nav.registrations': 'Registrations',
  'console.nav.certificateRequests': 'Certificate requests',
  'console.nav.accessRequests': 'Access requests',
  'console.nav.people': 'People',
  'console.nav.establishments': 'Establishments',
  'console.nav.certificates': 'Certificates',
  'console.nav.applications': 'Applications',
  'console.nav.migration': 'Identifier migration',
  'console.nav.audit': 'Audit trail',
  'console.nav.outbox': 'Mail',
  'console.nav.tokens': 'API tokens',
  'console.signedInAs': 'Signed in as {identifier}',
  'console.logout': 'Sign out',
};
