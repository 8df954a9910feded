/**
 * French messages — the reference dictionary: `en.ts` must have exactly these keys.
 * Write plain spaces before « : ; ? ! » and inside guillemets: `t()` turns them into the
 * non-breaking spaces French typography wants. `{name}` marks a placeholder.
 */
import { portalFr } from './portal.fr.ts';
import { withdrawalFr } from './withdrawal.fr.ts';
import { consoleFr } from './console.fr.ts';
import { peopleFr } from './people.fr.ts';
import { servicesFr } from './services.fr.ts';
import { registryFr } from './registry.fr.ts';
import { legacyFr } from './legacy.fr.ts';
import { ssoFr } from './sso.fr.ts';
import { pscFr } from './psc.fr.ts';
import { siteFr } from './site.fr.ts';

const base = {
  // Layout
  'layout.product': 'Passerelle',
  'layout.tagline': 'Accès sécurisé aux applications de santé',
  'layout.skip': 'Aller au contenu principal',
  'layout.languages': 'Langue',
  'layout.footer': '{platform} — Espace numérique régional de santé',
  'layout.footerNav': 'Informations sur le service',
  'layout.titleSuffix': 'Passerelle',

  // Gateway login (journey 8)
  'login.title': 'Connexion à {application}',
  'login.intro.personal':
    'Votre certificat personnel vous identifie comme {identifier}. Saisissez votre mot de passe pour accéder à {application}.',
  'login.intro.cps': 'Votre carte CPS vous identifie comme {identifier}. Saisissez votre mot de passe pour accéder à {application}.',
  'login.intro.collective':
    'Ce poste partagé utilise un certificat collectif. Saisissez votre identifiant et votre mot de passe personnels.',
  'login.establishment': 'Établissement : {name}',
  'login.machine': 'Poste : {label}',
  'login.identifier': 'Identifiant',
  'login.identifier.fixedHint': 'Identifiant associé au certificat de ce poste ; il ne peut pas être modifié.',
  'login.identifier.fixedHintCps': 'Identifiant associé à votre carte CPS ; il ne peut pas être modifié.',
  'login.identifier.hint': 'Votre identifiant est de la forme prenom.nom ; ce n’est pas votre adresse électronique.',
  'login.password': 'Mot de passe',
  'login.submit': 'Se connecter',
  'login.forgotPassword': 'Mot de passe oublié ?',
  'login.error.invalid_credentials': 'Identifiant ou mot de passe incorrect.',
  'login.error.invalid_password': 'Mot de passe incorrect.',
  'login.lockoutWarning': 'Après {count} échecs consécutifs, le compte est verrouillé.',
  'application.console': 'la console de coordination',
  'login.error.session_expired': 'Votre session a expiré. Pour votre sécurité, veuillez vous reconnecter.',
  'login.remaining.one':
    'Attention : il vous reste une tentative. Au prochain échec, votre compte sera verrouillé.',
  'login.remaining.other': 'Attention : il vous reste {count} tentatives avant le verrouillage de votre compte.',

  // Denial pages — shared parts
  'denied.whatNext': 'Que faire ?',
  'denied.details': 'Détails',
  'denied.detail.identifier': 'Identifiant',
  'denied.detail.application': 'Application',
  'denied.detail.nationalId': 'Identifiant national (carte CPS)',
  'denied.detail.serial': 'Numéro de série du certificat',
  'denied.detail.expiredOn': 'Date d’expiration',
  'denied.help': 'Besoin d’aide ? Contactez {support}.',
  'denied.reference': 'Référence à communiquer au support : {code} (HTTP {status})',
  'denied.thisApplication': 'cette application',

  'denied.no_certificate.title': 'Aucun certificat présenté',
  'denied.no_certificate.lead':
    'Votre navigateur n’a présenté aucun certificat. L’accès aux applications de la plateforme est réservé aux postes équipés d’un certificat.',
  'denied.no_certificate.step1':
    'Sur votre poste personnel (monoposte) : installez dans ce navigateur le certificat que vous avez retiré, puis fermez complètement le navigateur et rouvrez-le. Si une fenêtre vous propose de choisir un certificat, sélectionnez celui de la plateforme.',
  'denied.no_certificate.step2':
    'Sur un poste partagé (multiposte) : demandez au référent de votre établissement d’y installer le certificat collectif.',
  'denied.no_certificate.step3':
    'Vous n’avez pas encore de certificat ? Inscrivez-vous sur l’espace professionnel : {portal}',

  'denied.untrusted_certificate.title': 'Certificat non reconnu',
  'denied.untrusted_certificate.lead':
    'Le certificat présenté par votre navigateur n’a pas été délivré par la plateforme ni par une autorité reconnue (carte CPS).',
  'denied.untrusted_certificate.step1':
    'Si plusieurs certificats sont installés, fermez complètement le navigateur, rouvrez-le et choisissez le certificat de la plateforme lorsqu’il vous est proposé.',
  'denied.untrusted_certificate.step2':
    'Sur un poste partagé, seul le certificat collectif doit être installé : signalez le problème au référent de votre établissement.',
  'denied.untrusted_certificate.step3': 'Pour obtenir un certificat, rendez-vous sur l’espace professionnel : {portal}',

  'denied.certificate_expired.title': 'Certificat expiré',
  'denied.certificate_expired.lead':
    'Le certificat présenté par votre navigateur a expiré : il ne permet plus d’accéder aux applications.',
  'denied.certificate_expired.step1':
    'Demandez un nouveau certificat pour ce poste depuis votre espace professionnel : {portal}',
  'denied.certificate_expired.step2':
    'Après validation par la cellule de coordination, vous recevrez par courriel un nouveau code de retrait.',
  'denied.certificate_expired.step3': 'Sur un poste partagé, prévenez le référent de votre établissement.',

  'denied.certificate_not_yet_valid.title': 'Certificat pas encore valide',
  'denied.certificate_not_yet_valid.lead':
    'Le certificat présenté n’est pas encore valide. La date ou l’heure de votre ordinateur est peut-être incorrecte.',
  'denied.certificate_not_yet_valid.step1': 'Vérifiez la date et l’heure de votre ordinateur, puis réessayez.',
  'denied.certificate_not_yet_valid.step2': 'Si le problème persiste, contactez {support}.',

  'denied.certificate_revoked.title': 'Certificat révoqué',
  'denied.certificate_revoked.lead':
    'Le certificat présenté par votre navigateur a été révoqué : il ne permet plus d’accéder aux applications de la plateforme.',
  'denied.certificate_revoked.step1': 'Pour en connaître la raison, contactez {support}.',
  'denied.certificate_revoked.step2':
    'Pour obtenir un nouveau certificat, faites une demande depuis votre espace professionnel : {portal}',
  'denied.certificate_revoked.step3': 'Sur un poste partagé, prévenez le référent de votre établissement.',

  'denied.certificate_unknown.title': 'Certificat inconnu',
  'denied.certificate_unknown.lead':
    'Ce certificat n’est rattaché à aucun compte ni à aucun poste enregistré sur la plateforme.',
  'denied.certificate_unknown.step1':
    'Contactez {support} en indiquant le numéro de série du certificat, rappelé ci-dessous.',
  'denied.certificate_unknown.step2': 'Pour obtenir un certificat, inscrivez-vous sur l’espace professionnel : {portal}',
  'denied.cps.unknown_holder':
    'Votre carte CPS est reconnue, mais aucun compte ne porte son numéro RPPS ou ADELI. Pas encore de compte ? Inscrivez-vous : {registration} (votre carte peut préremplir le formulaire). Déjà un compte ? Votre numéro RPPS ou ADELI doit y figurer : demandez-en l’ajout à {support}.',
  'denied.cps.ambiguous_holder':
    'Votre carte CPS est reconnue, mais plusieurs comptes portent son numéro RPPS ou ADELI : un seul doit être conservé. Signalez-le à {support}.',
  'denied.cps.no_national_id':
    'Ce certificat vient d’une autorité CPS reconnue, mais ne porte pas d’identifiant national lisible (8 suivi du RPPS, ou 0 suivi du numéro ADELI). Utilisez la carte CPS elle-même, ou contactez {support}.',
  'denied.cps.crl_stale':
    'La liste des cartes CPS révoquées n’est plus à jour sur la plateforme : par précaution, les cartes CPS sont refusées. Réessayez plus tard et prévenez {support}.',

  'denied.account_locked.title': 'Compte verrouillé',
  'denied.account_locked.lead':
    'Après {max} tentatives de connexion infructueuses, votre compte a été verrouillé par mesure de sécurité.',
  'denied.account_locked.step1':
    'Contactez {support} : votre compte sera déverrouillé et un nouveau mot de passe provisoire vous sera envoyé par courriel.',
  'denied.account_locked.step2':
    'Connectez-vous ensuite à votre espace professionnel pour choisir un nouveau mot de passe : {portal}',

  'denied.account_deactivated.title': 'Compte désactivé',
  'denied.account_deactivated.lead':
    'Votre compte a été désactivé : il ne permet plus d’accéder aux applications de la plateforme.',
  'denied.account_deactivated.step1': 'Si vous pensez qu’il s’agit d’une erreur, contactez {support}.',

  'denied.account_provisional.title': 'Compte à activer',
  'denied.account_provisional.lead': 'Votre compte n’est pas encore activé.',
  'denied.account_provisional.step1':
    'Connectez-vous d’abord à votre espace professionnel avec le mot de passe provisoire reçu par courriel : {portal}',
  'denied.account_provisional.step2':
    'Choisissez votre mot de passe personnel à la place du provisoire, vérifiez vos informations et acceptez les conditions d’utilisation.',
  'denied.account_provisional.step3': 'Revenez ensuite sur cette page.',

  'denied.no_access.title': 'Accès non autorisé',
  'denied.no_access.lead': 'Votre compte n’a pas encore accès à {application}.',
  'denied.no_access.step1':
    'Demandez l’accès à {application} depuis votre espace professionnel, rubrique « Demander une application » : {portal}',
  'denied.no_access.step2':
    'L’accès sera ouvert après validation par la cellule de coordination ; un courriel vous en informera.',
  'denied.no_access.step3': 'Si vous avez déjà fait la demande, elle est sans doute en cours d’examen.',

  'denied.unknown_application.title': 'Application inconnue',
  'denied.unknown_application.lead': 'Aucune application de la plateforme ne correspond à cette adresse.',
  'denied.unknown_application.step1':
    'Vérifiez l’adresse saisie, ou passez par le lien de votre espace professionnel : {portal}',
  'denied.unknown_application.step2': 'Enregistrez ensuite la bonne adresse dans vos favoris.',

  'denied.not_coordinator.title': 'Console réservée à la cellule de coordination',
  'denied.not_coordinator.lead': 'La console de coordination n’est ouverte qu’aux membres de la cellule de coordination, avec leur certificat personnel.',
  'denied.not_coordinator.step1': 'Si vous êtes membre de la cellule, utilisez le poste sur lequel votre certificat personnel est installé (pas un poste partagé).',
  'denied.not_coordinator.step2': 'Pour vos applications, passez par votre espace professionnel : {portal}',
  'denied.not_member_of_establishment.title': 'Établissement non autorisé',
  'denied.not_member_of_establishment.lead':
    'Ce poste partagé appartient à un établissement auquel votre compte n’est pas rattaché.',
  'denied.not_member_of_establishment.step1':
    'Connectez-vous depuis un poste de votre établissement ou depuis votre poste personnel.',
  'denied.not_member_of_establishment.step2':
    'Si vous travaillez dans cet établissement, demandez votre rattachement à {support}.',

  // Upstream application unreachable
  'upstream.502.title': '{application} ne répond pas',
  'upstream.504.title': '{application} met trop de temps à répondre',
  'upstream.lead': 'L’application {application} est momentanément indisponible.',
  'upstream.session': 'Votre session n’est pas en cause : elle reste ouverte.',
  'upstream.retry': 'Réessayez dans quelques minutes.',
  'upstream.retryLink': 'Réessayer maintenant',

  // Logout confirmation, then logged out
  'logout.title': 'Se déconnecter de {application} ?',
  'logout.lead': 'Votre session sur {application} est ouverte. Confirmez-vous la déconnexion ?',
  'logout.submit': 'Se déconnecter',
  'loggedOut.title': 'Déconnexion effectuée',
  'loggedOut.lead': 'Votre session sur {application} est fermée.',
  'loggedOut.shared': 'Sur un poste partagé, fermez le navigateur avant de laisser la place.',
  'loggedOut.login': 'Se reconnecter à {application}',

  // Generic errors
  'error.400.title': 'Requête incorrecte',
  'error.403.title': 'Accès refusé',
  'error.404.title': 'Page introuvable',
  'error.405.title': 'Méthode non autorisée',
  'error.413.title': 'Requête trop volumineuse',
  'error.429.title': 'Trop de requêtes',
  'error.4xx.title': 'La requête n’a pas abouti',
  'error.500.title': 'Erreur interne',
  'error.503.title': 'Service momentanément indisponible',
  'error.5xx.title': 'Erreur du serveur',
  'error.4xx.lead': 'Vérifiez l’adresse ou revenez à la page précédente.',
  'error.429.lead': 'Vous avez effectué trop de tentatives. Patientez quelques minutes avant de réessayer.',
  'error.5xx.lead': 'Un problème est survenu de notre côté. Réessayez dans quelques minutes.',
  'error.detail': 'Détail : {message}',
  'error.reference': 'Référence : {code} (HTTP {status})',
  'csrf.title': 'Formulaire expiré',
  'csrf.lead': 'Ce formulaire a expiré ou a déjà été envoyé. Rechargez la page et recommencez.',
  'csrf.back': 'Revenir au formulaire',

  // Public help page
  'help.title': '{platform} : accès sécurisé aux applications de santé',
  'help.intro':
    '{platform} protège l’accès aux applications de la plateforme régionale de santé. Chaque poste de travail doit disposer d’un certificat, et votre mot de passe personnel reste demandé à chaque connexion.',
  'help.kinds.title': 'Deux types de certificat',
  'help.kinds.personal':
    'Certificat personnel : pour un ordinateur dont vous êtes le seul utilisateur (ou votre propre session). Un certificat par ordinateur ; votre identifiant est alors prérempli.',
  'help.kinds.collective':
    'Certificat collectif : pour un poste partagé par plusieurs personnes. Il est installé par le référent de l’établissement ; chacun saisit son identifiant et son mot de passe. Aucun autre certificat ne doit y être installé.',
  'help.get.title': 'Obtenir un certificat personnel',
  'help.get.step1': 'Inscrivez-vous sur l’espace professionnel : {portal}',
  'help.get.step2':
    'Après validation par la cellule de coordination, vous recevez par courriel votre identifiant et un mot de passe provisoire : connectez-vous et choisissez votre mot de passe.',
  'help.get.step3':
    'Depuis votre espace, demandez un certificat pour chacun de vos ordinateurs, ainsi que l’accès aux applications dont vous avez besoin.',
  'help.get.step4':
    'Après validation, vous recevez un document PDF contenant votre code de retrait ; son mot de passe arrive dans un second courriel.',
  'help.get.step5':
    'Sur l’ordinateur concerné, avec le navigateur que vous utiliserez, suivez le lien de retrait : le certificat est créé et installé sur ce poste.',
  'help.apps.title': 'Applications accessibles',
  'help.apps.none': 'Aucune application n’est configurée pour le moment.',
  'help.tech.title': 'Informations techniques',
  'help.tech.crl': 'Liste des certificats révoqués (CRL)',
  'help.tech.jwks': 'Clés publiques de signature des assertions (JWKS)',
} as const satisfies Record<string, string>;

/** Each area keeps its messages in its own file (portal, withdrawal…); all merge here. */
export const fr = { ...base, ...portalFr, ...withdrawalFr, ...consoleFr, ...peopleFr, ...servicesFr, ...registryFr, ...legacyFr, ...ssoFr, ...siteFr, ...pscFr } as const;

/** Every dictionary has the French keys, with string values. */
export type Messages = { readonly [K in keyof typeof fr]: string };
export type MessageKey = keyof typeof fr;
