/** French mail wording: the reference. Data values are inserted as text, never as markup. */
import { formatDateTime, isSuperseded, revocationReasonText } from './format.ts';
import type { MailContents } from './types.ts';

const CONTACT_IF_NOT_YOU = "Si vous n'êtes pas à l'origine de cette demande, prévenez sans attendre la cellule de coordination.";

export const contentFr: MailContents = {
  'registration.received': (d) => ({
    subject: "Demande d'inscription reçue",
    greeting: `Bonjour ${d.givenName} ${d.familyName},`,
    blocks: [
      { kind: 'p', text: "Nous avons bien reçu votre demande d'inscription à la plateforme. La cellule de coordination va l'examiner ; vous recevrez un courriel dès qu'elle aura été traitée." },
      { kind: 'p', text: "Aucun compte n'est créé avant cette validation : vous n'avez rien d'autre à faire pour l'instant." },
      { kind: 'p', text: "Si vous n'avez pas demandé d'inscription, vous pouvez ignorer ce message." },
    ],
  }),
  'registration.approved': (d) => ({
    subject: 'Votre compte est créé',
    greeting: `Bonjour ${d.givenName},`,
    blocks: [
      { kind: 'p', text: "Votre demande d'inscription a été validée par la cellule de coordination. Voici vos identifiants de connexion." },
      { kind: 'value', label: 'Identifiant', value: d.identifier },
      { kind: 'value', label: 'Mot de passe provisoire', value: d.provisionalPassword },
      { kind: 'p', text: "Votre identifiant est définitif ; ce n'est pas votre adresse électronique. Le mot de passe respecte les majuscules et les minuscules." },
      { kind: 'link', label: 'Connectez-vous à votre compte', url: d.portalUrl },
      { kind: 'p', text: `Dès votre première connexion, vous devrez remplacer ce mot de passe provisoire par un mot de passe personnel. Il cesse de fonctionner le ${formatDateTime(d.expiresAt, 'fr')} s'il n'a pas été utilisé.` },
      { kind: 'warning', text: 'Ne transmettez ces informations à personne : la cellule de coordination ne vous demandera jamais votre mot de passe.' },
    ],
  }),
  invitation: (d) => ({
    subject: d.reminder > 0 ? 'Rappel : votre compte vous attend' : 'Invitation à la plateforme : votre compte est prêt',
    greeting: `Bonjour ${d.givenName},`,
    blocks: [
      {
        kind: 'p',
        text:
          d.reminder > 0
            ? "La cellule de coordination vous a créé un compte sur la plateforme, que vous n'avez pas encore activé. Voici de nouveaux identifiants : ce courriel remplace les précédents, dont le mot de passe ne fonctionne plus."
            : 'La cellule de coordination vous a créé un compte sur la plateforme. Voici vos identifiants de connexion.',
      },
      { kind: 'value', label: 'Identifiant', value: d.identifier },
      { kind: 'value', label: 'Mot de passe provisoire', value: d.provisionalPassword },
      { kind: 'link', label: 'Activez votre compte', url: d.portalUrl },
      { kind: 'p', text: `À votre première connexion, vous choisirez votre mot de passe et accepterez les conditions d'utilisation. Cette invitation expire le ${formatDateTime(d.expiresAt, 'fr')} ; passé ce délai, demandez à la cellule de coordination de vous la renvoyer.` },
      { kind: 'warning', text: 'Ne transmettez ces informations à personne : la cellule de coordination ne vous demandera jamais votre mot de passe.' },
    ],
  }),
  'registration.rejected': (d) => ({
    subject: "Votre demande d'inscription n'a pas été retenue",
    greeting: `Bonjour ${d.givenName},`,
    blocks: [
      { kind: 'p', text: "La cellule de coordination n'a pas pu donner suite à votre demande d'inscription, pour la raison suivante :" },
      { kind: 'p', text: d.reason },
      { kind: 'p', text: 'Pour toute question, vous pouvez contacter la cellule de coordination.' },
    ],
  }),
  'withdrawal.document': (d) => ({
    subject: d.collective ? `Retrait du certificat collectif du poste « ${d.label} » (document 1/2)` : 'Retrait de votre certificat (document 1/2)',
    greeting: d.collective ? 'Bonjour,' : `Bonjour ${d.holderName},`,
    blocks: [
      {
        kind: 'p',
        text: d.collective
          ? `La demande de certificat collectif pour le poste partagé « ${d.label} » de l'établissement ${d.holderName} a été validée. Vous recevez ce message en tant que référent de l'établissement.`
          : `Votre demande de certificat pour le poste « ${d.label} » a été validée.`,
      },
      { kind: 'p', text: 'Le document PDF joint contient le code de retrait du certificat. Il ne s\'ouvre qu\'avec un mot de passe, qui vous est envoyé dans un second courriel.' },
      { kind: 'link', label: 'Site de retrait', url: d.withdrawalUrl },
      {
        kind: 'p',
        text: `Le retrait doit se faire depuis le poste de travail sur lequel le certificat sera utilisé, avec le navigateur qui l'utilisera. Le code ne sert qu'une fois et expire le ${formatDateTime(d.expiresAt, 'fr')}.`,
      },
      { kind: 'warning', text: 'Ce document est confidentiel : ne le transmettez à personne.' },
    ],
  }),
  'withdrawal.password': (d) => ({
    subject: 'Mot de passe du document de retrait (2/2)',
    greeting: 'Bonjour,',
    blocks: [
      { kind: 'p', text: `Voici le mot de passe qui ouvre le document PDF de retrait du certificat du poste « ${d.label} » (${d.holderName}), envoyé dans un courriel séparé.` },
      { kind: 'value', label: 'Mot de passe du document', value: d.pdfPassword },
      { kind: 'p', text: "Ce mot de passe sert uniquement à ouvrir le document : ce n'est ni votre mot de passe de connexion, ni le code de retrait." },
      { kind: 'warning', text: 'Ne transmettez ce mot de passe à personne.' },
    ],
  }),
  'certificate-request.rejected': (d) => ({
    subject: "Votre demande de certificat n'a pas été retenue",
    greeting: `Bonjour ${d.holderName},`,
    blocks: [
      { kind: 'p', text: `La cellule de coordination n'a pas pu donner suite à la demande de certificat pour le poste « ${d.label} », pour la raison suivante :` },
      { kind: 'p', text: d.reason },
      { kind: 'p', text: 'Vous pouvez faire une nouvelle demande depuis votre compte, ou contacter la cellule de coordination.' },
    ],
  }),
  'access.granted': (d) => ({
    subject: `Accès à ${d.applicationName} accordé`,
    greeting: `Bonjour ${d.givenName},`,
    blocks: [
      { kind: 'p', text: `La cellule de coordination vous a donné accès à ${d.applicationName}.` },
      { kind: 'link', label: "Accéder à l'application", url: d.applicationUrl },
      { kind: 'p', text: "L'accès se fait depuis un poste sur lequel votre certificat est installé ; votre mot de passe vous sera demandé." },
    ],
  }),
  'access.rejected': (d) => ({
    subject: `Accès à ${d.applicationName} non accordé`,
    greeting: `Bonjour ${d.givenName},`,
    blocks: [
      { kind: 'p', text: `La cellule de coordination n'a pas pu donner suite à votre demande d'accès à ${d.applicationName}, pour la raison suivante :` },
      { kind: 'p', text: d.reason },
    ],
  }),
  'password-reset.link': (d) => ({
    subject: 'Choisir un nouveau mot de passe',
    greeting: `Bonjour ${d.givenName},`,
    blocks: [
      { kind: 'p', text: 'Vous avez signalé un mot de passe oublié. Pour choisir un nouveau mot de passe, ouvrez le lien suivant :' },
      { kind: 'link', label: 'Choisir un nouveau mot de passe', url: d.resetUrl },
      { kind: 'value', label: 'Identifiant', value: d.identifier },
      { kind: 'p', text: `Ce lien ne sert qu'une fois et expire le ${formatDateTime(d.expiresAt, 'fr')}. Tant qu'il n'a pas servi, votre mot de passe actuel continue de fonctionner.` },
      { kind: 'warning', text: "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : rien ne change. Si elle se répète, prévenez la cellule de coordination." },
    ],
  }),
  'password-reset.done': (d) => ({
    subject: 'Votre mot de passe a été changé',
    greeting: `Bonjour ${d.givenName},`,
    blocks: [
      { kind: 'p', text: `Le mot de passe du compte ${d.identifier} a été changé le ${formatDateTime(d.changedAt, 'fr')} à l'aide d'un lien « mot de passe oublié ». Les sessions ouvertes avec l'ancien mot de passe ont été fermées.` },
      { kind: 'link', label: 'Connectez-vous à votre compte', url: d.portalUrl },
      { kind: 'warning', text: CONTACT_IF_NOT_YOU },
    ],
  }),
  'account.unlocked': (d) => ({
    subject: 'Votre compte est débloqué',
    greeting: `Bonjour ${d.givenName},`,
    blocks: [
      { kind: 'p', text: 'Votre compte avait été bloqué après plusieurs mots de passe erronés. La cellule de coordination l\'a débloqué et vous attribue un nouveau mot de passe provisoire.' },
      { kind: 'value', label: 'Identifiant', value: d.identifier },
      { kind: 'value', label: 'Mot de passe provisoire', value: d.provisionalPassword },
      { kind: 'link', label: 'Connectez-vous à votre compte', url: d.portalUrl },
      { kind: 'p', text: `Vous devrez le remplacer dès votre connexion. Il cesse de fonctionner le ${formatDateTime(d.expiresAt, 'fr')} s'il n'a pas été utilisé.` },
    ],
  }),
  'email-change.confirm': (d) => ({
    subject: 'Confirmez votre nouvelle adresse électronique',
    greeting: `Bonjour ${d.givenName},`,
    blocks: [
      { kind: 'p', text: 'Vous avez demandé à recevoir les messages de la plateforme à cette adresse. Pour confirmer ce changement, ouvrez le lien suivant :' },
      { kind: 'link', label: 'Confirmer cette adresse', url: d.confirmUrl },
      { kind: 'p', text: `Ce lien expire le ${formatDateTime(d.expiresAt, 'fr')}. Tant qu'il n'est pas ouvert, votre ancienne adresse reste utilisée.` },
      { kind: 'p', text: "Si vous n'avez pas demandé ce changement, ignorez ce message." },
    ],
  }),
  'email-change.notice': (d) => ({
    subject: "Changement de l'adresse électronique de votre compte",
    greeting: `Bonjour ${d.givenName},`,
    blocks: [
      { kind: 'p', text: 'Un changement de l\'adresse électronique de votre compte a été demandé. Une fois confirmée, la nouvelle adresse recevra les messages de la plateforme :' },
      { kind: 'value', label: 'Nouvelle adresse', value: d.newEmail },
      { kind: 'warning', text: CONTACT_IF_NOT_YOU },
    ],
  }),
  'renewal.notice': (d) => ({
    subject: 'Votre certificat arrive à expiration',
    greeting: `Bonjour ${d.holderName},`,
    blocks: [
      { kind: 'p', text: `Le certificat du poste « ${d.label} » (numéro de série ${d.serial}) expire le ${formatDateTime(d.notAfter, 'fr')}. Passé cette date, ce poste n'aura plus accès aux applications.` },
      d.collective
        ? { kind: 'p', text: 'Un certificat collectif ne se renouvelle pas depuis le poste : en tant que référent de l\'établissement, demandez-en un nouveau à la cellule de coordination avant cette date.' }
        : { kind: 'p', text: 'Renouvelez-le dès maintenant depuis ce même poste, avec le navigateur dans lequel il est installé : aucun nouveau code de retrait n\'est nécessaire.' },
      { kind: 'link', label: d.collective ? 'Espace professionnel' : 'Renouveler le certificat', url: d.renewUrl },
    ],
  }),
  'certificate.revoked': (d) =>
    isSuperseded(d.reason)
      ? {
          subject: 'Certificat remplacé',
          greeting: `Bonjour ${d.holderName},`,
          blocks: [
            { kind: 'p', text: `L'ancien certificat du poste « ${d.label} » (numéro de série ${d.serial}) a été révoqué : le certificat renouvelé vient d'être utilisé pour la première fois et le remplace. Supprimez l'ancien de votre navigateur pour qu'il ne vous soit plus proposé.` },
            { kind: 'warning', text: "Si vous n'avez pas renouvelé ce certificat, prévenez sans attendre la cellule de coordination." },
          ],
        }
      : {
          subject: 'Certificat révoqué',
          greeting: `Bonjour ${d.holderName},`,
          blocks: [
            { kind: 'p', text: `Le certificat du poste « ${d.label} » (numéro de série ${d.serial}) a été révoqué : il ne permet plus d'accéder aux applications. Motif : ${revocationReasonText(d.reason, 'fr')}.` },
            { kind: 'p', text: 'Pour équiper à nouveau ce poste, faites une demande de certificat depuis votre compte.' },
            { kind: 'warning', text: "Si vous n'êtes pas à l'origine de cette révocation, prévenez sans attendre la cellule de coordination." },
          ],
        },
};
