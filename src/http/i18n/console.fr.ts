/** Console messages (French, the reference). Keys start with `console.`. */
export const consoleFr = {
  'console.nav.label': 'Console de coordination',
  'console.nav.dashboard': 'Tableau de bord',
  'console.nav.registrations': 'Inscriptions',
  'console.nav.certificateRequests': 'Demandes de certificat',
  'console.nav.accessRequests': 'Demandes d’accès',
  'console.nav.people': 'Personnes',
  'console.nav.establishments': 'Établissements',
  'console.nav.certificates': 'Certificats',
  'console.nav.applications': 'Applications',
  'console.nav.migration': 'Migration des identifiants',
  'console.nav.audit': 'Journal',
  'console.nav.outbox': 'Courriels',
  'console.nav.tokens': 'Jetons d’API',
  'console.signedInAs': 'Connecté en tant que {identifier}',
  'console.logout': 'Se déconnecter',
} as const satisfies Record<`console.${string}`, string>;
