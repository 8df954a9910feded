/** Portal single sign-on messages (French, the reference). Keys start with `sso.`. */
export const ssoFr = {
  'sso.title': 'Accès direct aux applications',
  // Portal tiles
  'sso.tiles.hint': 'Un clic ouvre l’application dans ce navigateur. Sur un poste qui porte votre certificat personnel, votre mot de passe ne vous est pas redemandé ; sur un poste partagé, il l’est.',
  'sso.tiles.open': 'Ouvrir {application}',
  // Portal: no ticket
  'sso.refused.title': 'Accès direct impossible',
  'sso.refused.unknown_application': 'Cette application n’existe pas ou plus.',
  'sso.refused.no_access': 'Vous n’avez pas, ou plus, accès à cette application. Vous pouvez le demander depuis « Mes applications ».',
  'sso.refused.account_not_active': 'Votre compte n’est pas actif : l’accès direct aux applications n’est pas possible.',
  'sso.refused.back': 'Revenir à l’accueil',
  // Gateway login form after a ticket that did not open a session
  'sso.notice.expired': 'Le lien d’accès direct venu de l’espace professionnel a expiré : il n’est valable qu’une minute. Saisissez votre mot de passe pour continuer.',
  'sso.notice.used': 'Ce lien d’accès direct a déjà servi : il ne s’utilise qu’une fois. Saisissez votre mot de passe pour continuer.',
  'sso.notice.invalid': 'Ce lien d’accès direct n’est pas valable pour cette application. Saisissez votre mot de passe pour continuer.',
  'sso.notice.shared': 'Ce poste est un poste partagé (certificat collectif) : l’accès direct sans mot de passe n’y est pas possible. Saisissez votre identifiant et votre mot de passe.',
  'sso.notice.not_personal': 'L’accès direct sans mot de passe demande votre certificat personnel, et le certificat présenté n’en est pas un. Connectez-vous comme d’habitude.',
  'sso.notice.other_person': 'Ce lien d’accès direct a été demandé par une autre personne que le titulaire du certificat de ce poste : il a été refusé et l’incident est enregistré. Connectez-vous avec votre propre mot de passe.',
} as const satisfies Record<`sso.${string}`, string>;
