/** Withdrawal and renewal messages (French, the reference). Keys start with `withdrawal.`. */
export const withdrawalFr = {
  // Withdrawal page (journey 6)
  'withdrawal.title': 'Retrait de certificat',
  'withdrawal.noscript':
    'Cette page a besoin de JavaScript : la clé de votre certificat est créée dans votre navigateur et ne le quitte jamais. Activez JavaScript, ou utilisez un navigateur récent (Firefox, Chrome, Edge ou Safari).',
  'withdrawal.start.heading': 'Avant de commencer',
  'withdrawal.start.lead':
    'Vous avez reçu par courriel un document PDF contenant votre identifiant de retrait et un code de retrait. Cette page crée votre certificat et l’enregistre dans un fichier que vous installerez ensuite (durée totale : moins de 2 minutes).',
  'withdrawal.start.workstation':
    'Faites cette démarche sur le poste de travail qui utilisera le certificat, avec le navigateur que vous utilisez pour les applications.',
  'withdrawal.start.privateKey':
    'La clé secrète du certificat est créée dans ce navigateur et ne quitte jamais ce poste : seul le certificat public est fabriqué par la plateforme.',
  'withdrawal.start.button': 'J’ai reçu un code de retrait',
  'withdrawal.start.resumable':
    'Si l’onglet se ferme ou si le navigateur s’arrête en cours de route, rouvrez cette page dans ce même navigateur dans les {minutes} minutes : le retrait reprend là où il s’était arrêté et le même certificat vous est remis, sans nouveau code.',
  'withdrawal.resume.button': 'Reprendre le retrait',
  'withdrawal.resume.discard': 'Recommencer depuis le début',

  'withdrawal.check.heading': 'Vérification de votre navigateur',
  'withdrawal.check.lead': 'Nous vérifions que ce navigateur peut créer la clé et enregistrer le fichier du certificat.',
  'withdrawal.check.secure': 'Connexion sécurisée (HTTPS)',
  'withdrawal.check.webcrypto': 'Création de clés dans le navigateur (WebCrypto)',
  'withdrawal.check.download': 'Enregistrement de fichiers',
  'withdrawal.check.pending': 'vérification…',
  'withdrawal.continue': 'Continuer',

  'withdrawal.code.heading': 'Identifiant et code de retrait',
  'withdrawal.code.lead': 'Recopiez l’identifiant de retrait et le code figurant dans le document PDF.',
  'withdrawal.code.identifier': 'Identifiant de retrait',
  'withdrawal.code.identifierHint': 'De la forme prenom.nom@{domain} (ou poste-…@{domain} pour un poste partagé).',
  'withdrawal.code.code': 'Code de retrait',
  'withdrawal.code.codeHint': '8 caractères ; les majuscules et les minuscules comptent.',
  'withdrawal.code.submit': 'Suivant',

  'withdrawal.password.heading': 'Protéger le fichier du certificat',
  'withdrawal.password.lead':
    'Choisissez un mot de passe pour le fichier du certificat : il vous sera demandé une seule fois, à l’installation. Le certificat est ensuite créé et le fichier enregistré sur ce poste.',
  'withdrawal.password.password': 'Mot de passe du fichier',
  'withdrawal.password.hint': 'Au moins {min} caractères. Ce n’est pas le mot de passe de votre compte.',
  'withdrawal.password.confirm': 'Confirmez le mot de passe',
  'withdrawal.password.submit': 'Créer et télécharger le fichier',

  'withdrawal.install.heading': 'Installer le certificat',
  'withdrawal.install.lead': 'Le fichier {file} a été enregistré dans votre dossier de téléchargements.',
  'withdrawal.install.again': 'Télécharger à nouveau',
  'withdrawal.install.choose': 'Suivez les instructions de votre navigateur :',
  'withdrawal.install.firefox.title': 'Firefox (Windows, macOS ou Linux)',
  'withdrawal.install.firefox.step1': 'Ouvrez le menu ☰ › Paramètres › Vie privée et sécurité.',
  'withdrawal.install.firefox.step2': 'Tout en bas, rubrique Certificats : cliquez sur Afficher les certificats.',
  'withdrawal.install.firefox.step3': 'Onglet Vos certificats : cliquez sur Importer… et choisissez le fichier {file}.',
  'withdrawal.install.firefox.step4': 'Saisissez le mot de passe du fichier choisi à l’étape précédente.',
  'withdrawal.install.windows.title': 'Chrome ou Edge sous Windows',
  'withdrawal.install.windows.step1': 'Ouvrez votre dossier Téléchargements et double-cliquez sur le fichier {file}.',
  'withdrawal.install.windows.step2': 'L’assistant d’importation s’ouvre : choisissez « Utilisateur actuel », puis Suivant.',
  'withdrawal.install.windows.step3': 'Saisissez le mot de passe du fichier, puis laissez Windows choisir le magasin de certificats et terminez.',
  'withdrawal.install.mac.title': 'Safari ou Chrome sous macOS',
  'withdrawal.install.mac.step1': 'Double-cliquez sur le fichier {file} dans le dossier Téléchargements.',
  'withdrawal.install.mac.step2': 'Trousseau d’accès s’ouvre : choisissez le trousseau « session », puis saisissez le mot de passe du fichier.',
  'withdrawal.install.linux.title': 'Chrome ou Chromium sous Linux',
  'withdrawal.install.linux.step1': 'Ouvrez l’adresse chrome://settings/certificates dans un nouvel onglet.',
  'withdrawal.install.linux.step2': 'Rubrique Vos certificats : cliquez sur Importer et choisissez le fichier {file}.',
  'withdrawal.install.linux.step3': 'Saisissez le mot de passe du fichier.',
  'withdrawal.install.restart': 'Fermez ensuite complètement le navigateur et rouvrez-le : il proposera ce certificat aux applications de la plateforme.',
  'withdrawal.install.delete': 'Une fois le certificat installé, supprimez le fichier .p12 de votre dossier de téléchargements.',
  'withdrawal.install.root':
    'Une seule fois par poste : faites aussi confiance au certificat racine de la plateforme, sans quoi le navigateur signale ses adresses comme non sûres. Téléchargez le {link} et importez-le comme autorité de certification (Firefox : Paramètres › Vie privée et sécurité › Afficher les certificats › onglet Autorités ; Windows : magasin « Autorités de certification racines de confiance » ; macOS : trousseau Système, puis « Toujours approuver »).',
  'withdrawal.install.rootLink': 'certificat racine',
  'withdrawal.install.noRoot': 'Aucun certificat racine à installer : les adresses de la plateforme sont déjà reconnues par votre navigateur.',
  'withdrawal.install.done': 'C’est terminé : vous pouvez fermer cet onglet.',

  // Messages the script shows (progress, checks, errors by API code)
  'withdrawal.script.progress.generating': 'Création de la clé dans votre navigateur…',
  'withdrawal.script.progress.sending': 'Envoi de la demande de certificat…',
  'withdrawal.script.progress.received': 'Certificat reçu.',
  'withdrawal.script.progress.building': 'Création du fichier protégé…',
  'withdrawal.script.progress.downloaded': 'Fichier enregistré.',
  'withdrawal.script.check.secure.ok': 'oui',
  'withdrawal.script.check.secure.fail': 'non : ouvrez cette page par son adresse https://',
  'withdrawal.script.check.webcrypto.ok': 'oui',
  'withdrawal.script.check.webcrypto.fail': 'non : ce navigateur ne sait pas créer de clé',
  'withdrawal.script.check.download.ok': 'oui',
  'withdrawal.script.check.download.fail': 'non : ce navigateur ne sait pas enregistrer le fichier',
  'withdrawal.script.check.ok': 'Ce navigateur est compatible. Vous pouvez continuer.',
  'withdrawal.script.check.fail':
    'Ce navigateur ne permet pas de retirer un certificat. Utilisez une version récente de Firefox, Chrome, Edge ou Safari sur ce poste.',
  'withdrawal.script.password.tooShort': 'Le mot de passe doit contenir au moins {min} caractères.',
  'withdrawal.script.password.mismatch': 'Les deux mots de passe ne sont pas identiques.',
  'withdrawal.script.field.required': 'Renseignez ce champ.',
  'withdrawal.script.resume.text':
    'Un retrait de certificat pour {identifier} a été interrompu dans ce navigateur le {date}. Vous pouvez le reprendre jusqu’au {until} : le même certificat vous sera remis, votre code n’est pas perdu.',
  'withdrawal.script.resume.code': 'Saisissez à nouveau le code de retrait du document PDF : il reprend le retrait interrompu.',
  'withdrawal.script.error.invalid_code': 'Identifiant de retrait ou code incorrect. Vérifiez-les dans le document PDF.',
  'withdrawal.script.error.code_expired': 'Ce code de retrait a expiré. Demandez un nouveau code à la cellule de coordination.',
  'withdrawal.script.error.code_used':
    'Ce code de retrait a déjà servi. Si le retrait a été interrompu sur ce poste, rouvrez cette page dans le même navigateur pour le reprendre ; sinon, demandez un nouveau code à la cellule de coordination.',
  'withdrawal.script.error.code_locked':
    'Ce code de retrait est bloqué après trop d’essais incorrects. Demandez un nouveau code à la cellule de coordination.',
  'withdrawal.script.error.invalid_csr': 'La demande de certificat créée par ce navigateur a été refusée. Essayez avec un autre navigateur.',
  'withdrawal.script.error.invalid_request': 'La demande est incomplète. Vérifiez les champs et réessayez.',
  'withdrawal.script.error.rate_limited': 'Trop de tentatives depuis ce poste. Patientez quelques minutes avant de réessayer.',
  'withdrawal.script.error.account_deactivated': 'Ce compte est désactivé. Contactez la cellule de coordination.',
  'withdrawal.script.error.account_locked': 'Ce compte est verrouillé. Contactez la cellule de coordination.',
  'withdrawal.script.error.renewal_collective':
    'Un certificat collectif ne se renouvelle pas depuis le poste : le référent de l’établissement en demande un nouveau à la cellule de coordination.',
  'withdrawal.script.error.renewal_unknown': 'Le renouvellement n’a pas été reconnu. Rechargez la page et recommencez.',
  'withdrawal.script.error.authentication_required': 'Votre session a expiré. Rechargez la page pour vous reconnecter.',
  'withdrawal.script.error.session_expired': 'Votre session a expiré. Rechargez la page pour vous reconnecter.',
  'withdrawal.script.error.invalid_csrf_token': 'La page a expiré. Rechargez-la et recommencez.',
  'withdrawal.script.error.network': 'Le serveur n’a pas pu être joint. Vérifiez votre connexion et réessayez.',
  'withdrawal.script.error.internal_error': 'Une erreur inattendue est survenue. Réessayez dans quelques instants.',

  // Renewal page (journey 12), on the gateway
  'withdrawal.renewal.title': 'Renouveler le certificat de ce poste',
  'withdrawal.renewal.lead':
    'Vous êtes connecté avec le certificat de ce poste. Vous pouvez en obtenir un nouveau sans code de retrait : la nouvelle clé est créée dans ce navigateur.',
  'withdrawal.renewal.current': 'Certificat actuel',
  'withdrawal.renewal.identifier': 'Identifiant',
  'withdrawal.renewal.label': 'Poste',
  'withdrawal.renewal.serial': 'Numéro de série',
  'withdrawal.renewal.notAfter': 'Valable jusqu’au',
  'withdrawal.renewal.dueSoon': 'Ce certificat expire dans {days} jours : renouvelez-le maintenant.',
  'withdrawal.renewal.early':
    'Ce certificat est encore valable {days} jours. Vous pouvez déjà le renouveler ; un courriel vous le rappellera {notice} jours avant son expiration.',
  'withdrawal.renewal.how':
    'L’ancien certificat reste valable jusqu’à ce que le nouveau soit utilisé une première fois sur une application de la plateforme (il est alors révoqué), ou jusqu’à son expiration : une installation ratée ne vous bloque pas.',
  'withdrawal.renewal.button': 'Renouveler le certificat',
  'withdrawal.renewal.done':
    'Votre ancien certificat (numéro de série {serial}, valable jusqu’au {date}) reste valable jusqu’à ce que vous utilisiez le nouveau. Installez le nouveau fichier, fermez et rouvrez le navigateur, puis revenez sur l’application en choisissant le nouveau certificat : l’ancien sera alors révoqué automatiquement.',
  'withdrawal.renewal.removeOld':
    'Ensuite, supprimez l’ancien certificat de ce navigateur, sinon il vous sera encore proposé (il portera la mention révoqué) :',
  'withdrawal.renewal.removeOld.firefox':
    'Firefox : menu ☰ › Paramètres › Vie privée et sécurité › Afficher les certificats › onglet Vos certificats : sélectionnez l’ancien certificat (même nom, date d’expiration la plus proche) puis Supprimer.',
  'withdrawal.renewal.removeOld.windows':
    'Chrome ou Edge sous Windows : touche Windows, tapez « certmgr.msc », dossier Personnel › Certificats : clic droit sur l’ancien certificat (date d’expiration la plus proche) › Supprimer.',
  'withdrawal.renewal.removeOld.mac':
    'macOS : Trousseau d’accès › Mes certificats : clic droit sur l’ancien certificat (date d’expiration la plus proche) › Supprimer.',
  'withdrawal.renewal.removeOld.linux':
    'Chrome ou Chromium sous Linux : chrome://settings/certificates › Vos certificats : supprimez l’ancien certificat (date d’expiration la plus proche).',
  'withdrawal.renewal.collective.title': 'Certificat collectif',
  'withdrawal.renewal.collective.lead':
    'Ce poste partagé utilise un certificat collectif : il ne se renouvelle pas depuis le poste. Le référent de l’établissement en demande un nouveau à la cellule de coordination.',
} as const satisfies Record<`withdrawal.${string}`, string>;
