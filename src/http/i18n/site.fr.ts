/** Help (FAQ), accessibility statement, legal notice and personal-data notice; footer links. Keys start with `site.`. */
export const siteFr = {
  'site.link.help': 'Aide',
  'site.link.accessibility': 'Accessibilité : non conforme',
  'site.link.legal': 'Mentions légales',
  'site.link.personalData': 'Données personnelles',

  'site.contact.title': 'Contacter l’assistance',
  'site.contact.lead': 'L’assistance est assurée par {name}.',
  'site.contact.email': 'Courriel',
  'site.contact.phone': 'Téléphone',
  'site.contact.fallback': 'Contact : {contact}',

  'site.faq.title': 'Questions fréquentes',
  'site.faq.noOffer.q': 'Le navigateur ne me propose pas mon certificat',
  'site.faq.noOffer.a':
    'Fermez complètement le navigateur (toutes ses fenêtres) et rouvrez-le : le choix du certificat n’est proposé qu’au premier accès. Vérifiez que le certificat est installé dans ce navigateur-ci (Firefox a sa propre liste : Paramètres › Vie privée et sécurité › Afficher les certificats). S’il n’y est pas, reprenez le fichier .p12 enregistré au retrait, ou faites une nouvelle demande pour ce poste.',
  'site.faq.lostPdf.q': 'J’ai perdu le document PDF ou le courriel qui contient son mot de passe',
  'site.faq.lostPdf.a':
    'Le code de retrait n’existe que dans ce document. Demandez un nouveau code à {support} : l’ancien code est annulé et deux nouveaux courriels vous sont envoyés.',
  'site.faq.locked.q': 'Mon code de retrait est bloqué ou a expiré',
  'site.faq.locked.a':
    'Après plusieurs essais incorrects, ou après sa date d’expiration, un code de retrait ne fonctionne plus. Seule {support} peut en émettre un nouveau : indiquez-lui votre identifiant et le nom du poste.',
  'site.faq.interrupted.q': 'Le retrait s’est interrompu (onglet fermé, panne)',
  'site.faq.interrupted.a':
    'Rouvrez la page de retrait dans le même navigateur, sur le même poste, dans les minutes qui suivent : elle propose de reprendre le retrait et vous remet le même certificat, sans nouveau code.',
  'site.faq.newComputer.q': 'J’ai un nouvel ordinateur',
  'site.faq.newComputer.a':
    'Un certificat personnel est propre à un poste. Depuis votre espace professionnel, rubrique « Mes certificats », demandez un certificat pour le nouveau poste, puis révoquez celui de l’ancien ordinateur s’il n’est plus utilisé.',
  'site.faq.renew.q': 'Mon certificat va expirer',
  'site.faq.renew.a':
    'Un courriel vous prévient 60 jours avant. Depuis le poste concerné, suivez le lien « Renouveler » de « Mes certificats » : l’ancien certificat reste valable jusqu’à ce que le nouveau soit utilisé.',
  'site.faq.password.q': 'J’ai oublié mon mot de passe',
  'site.faq.password.a': 'Utilisez « Mot de passe oublié ? » sur la page de connexion de l’espace professionnel : un lien pour en choisir un nouveau vous est envoyé par courriel.',

  'site.accessibility.title': 'Déclaration d’accessibilité',
  'site.accessibility.commitment':
    '{publisher} s’engage à rendre ses services numériques accessibles, conformément à l’article 47 de la loi n° 2005-102 du 11 février 2005. Cette déclaration d’accessibilité s’applique à {platform}.',
  'site.accessibility.status.title': 'État de conformité',
  'site.accessibility.status':
    '{platform} est non conforme avec le référentiel général d’amélioration de l’accessibilité (RGAA), version 4.1 : aucun audit de conformité n’a encore été réalisé. Chaque version est vérifiée automatiquement (axe-core) sur ses pages principales, et les parcours sont conçus pour le clavier et les lecteurs d’écran.',
  'site.accessibility.limits.title': 'Contenus non accessibles',
  'site.accessibility.limits':
    'L’installation du certificat et le choix du certificat à la connexion se font dans des fenêtres du navigateur et du système d’exploitation, hors de notre contrôle ; les instructions de chaque navigateur sont données en texte sur la page de retrait.',
  'site.accessibility.tech.title': 'Technologies utilisées',
  'site.accessibility.tech': 'HTML5, CSS, JavaScript (uniquement pour créer la clé du certificat dans le navigateur).',
  'site.accessibility.feedback.title': 'Retour d’information et contact',
  'site.accessibility.feedback':
    'Si vous ne parvenez pas à accéder à un contenu ou à un service, contactez {support} pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme.',
  'site.accessibility.remedy.title': 'Voies de recours',
  'site.accessibility.remedy':
    'Si vous nous avez signalé un défaut d’accessibilité sans obtenir de réponse satisfaisante, vous pouvez écrire au Défenseur des droits (formulaire en ligne sur defenseurdesdroits.fr, ou par courrier gratuit sans affranchissement : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07) ou contacter son délégué dans votre région.',

  'site.legal.title': 'Mentions légales',
  'site.legal.publisher.title': 'Éditeur',
  'site.legal.publisher': '{platform} est édité par {publisher}.',
  'site.legal.host.title': 'Hébergement',
  'site.legal.host': '{host}',
  'site.legal.contact.title': 'Contact',
  'site.legal.contact': 'Pour toute question sur ce service : {support}.',
  'site.legal.cookies.title': 'Cookies',
  'site.legal.cookies':
    'Ce service n’utilise que des cookies strictement nécessaires à son fonctionnement (session, protection des formulaires, langue choisie) : ils ne demandent pas de consentement. Aucun cookie de mesure d’audience ni de publicité n’est déposé.',
  'site.legal.data': 'Pour le traitement de vos données personnelles, voir la page {link}.',

  'site.data.title': 'Données personnelles',
  'site.data.lead':
    'Cette page vous informe, conformément à l’article 13 du règlement général sur la protection des données (RGPD), sur l’utilisation des données recueillies par {platform}, notamment par le formulaire d’inscription.',
  'site.data.controller.title': 'Responsable du traitement',
  'site.data.controller': '{publisher}. Délégué à la protection des données : {dpo}.',
  'site.data.purpose.title': 'Finalités et base légale',
  'site.data.purpose':
    'Créer et gérer votre compte, vos certificats et vos accès aux applications de santé de la plateforme ; tracer les connexions et les actions pour la sécurité des données de santé. Base légale : l’exécution d’une mission d’intérêt public (article 6.1.e du RGPD) et le respect des obligations de sécurité et de traçabilité des accès aux données de santé (article 6.1.c).',
  'site.data.data.title': 'Données traitées',
  'site.data.data':
    'Nom, prénom, adresse électronique, profession, numéro RPPS ou ADELI, établissement, motif de la demande, identifiant, mot de passe (conservé sous forme d’empreinte, jamais en clair), certificats délivrés, et journaux de connexion (date, adresse IP, certificat utilisé, application). Les champs obligatoires du formulaire sont nécessaires à l’examen de votre demande : sans eux, elle ne peut pas être traitée.',
  'site.data.recipients.title': 'Destinataires',
  'site.data.recipients':
    'La cellule de coordination ; les applications auxquelles vous accédez reçoivent votre identifiant, votre établissement et votre numéro de certificat ; l’hébergeur, pour le seul fonctionnement technique. Aucune donnée n’est transférée hors de l’Union européenne ; aucune décision automatisée n’est prise à partir de ces données.',
  'site.data.retention.title': 'Durée de conservation',
  'site.data.retention':
    'Une demande d’inscription refusée est supprimée ; le compte est conservé tant qu’il est actif, puis désactivé ; les journaux de traçabilité sont conservés pour la durée fixée par le responsable du traitement au titre de la sécurité des données de santé.',
  'site.data.rights.title': 'Vos droits',
  'site.data.rights':
    'Vous disposez d’un droit d’accès, de rectification, d’effacement, de limitation et d’opposition. Pour les exercer, contactez {dpo}. Si vous estimez que vos droits ne sont pas respectés, vous pouvez adresser une réclamation à la CNIL (cnil.fr).',

  'site.registration.notice':
    'Les informations de ce formulaire servent à examiner votre demande et à créer votre compte. En savoir plus sur vos données et vos droits : {link}.',
} as const satisfies Record<`site.${string}`, string>;
