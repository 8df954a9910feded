import type { withdrawalFr } from './withdrawal.fr.ts';

/** Withdrawal messages in English: exactly the keys of the French file. */
export const withdrawalEn: Record<keyof typeof withdrawalFr, string> = {
  'withdrawal.title': 'Certificate pickup',
  'withdrawal.noscript':
    'This page needs JavaScript: your certificate’s key is created in your browser and never leaves it. Turn JavaScript on, or use a recent browser (Firefox, Chrome, Edge or Safari).',
  'withdrawal.start.heading': 'Before you start',
  'withdrawal.start.lead':
    'You received by email a PDF document with your withdrawal identifier and a withdrawal code. This page creates your certificate and saves it into a file that you then install (under 2 minutes in all).',
  'withdrawal.start.workstation':
    'Do this on the workstation that will use the certificate, in the browser you use for the applications.',
  'withdrawal.start.privateKey':
    'The certificate’s secret key is created in this browser and never leaves this computer: the platform only makes the public certificate.',
  'withdrawal.start.button': 'I was given a withdrawal code',
  'withdrawal.start.resumable':
    'If the tab closes or the browser stops along the way, reopen this page in this same browser within {minutes} minutes: the pickup resumes where it stopped and you get the same certificate, without a new code.',
  'withdrawal.resume.button': 'Resume the pickup',
  'withdrawal.resume.discard': 'Start again from the beginning',

  'withdrawal.check.heading': 'Checking your browser',
  'withdrawal.check.lead': 'We check that this browser can create the key and save the certificate file.',
  'withdrawal.check.secure': 'Secure connection (HTTPS)',
  'withdrawal.check.webcrypto': 'Key creation in the browser (WebCrypto)',
  'withdrawal.check.download': 'Saving files',
  'withdrawal.check.pending': 'checking…',
  'withdrawal.continue': 'Continue',

  'withdrawal.code.heading': 'Withdrawal identifier and code',
  'withdrawal.code.lead': 'Copy the withdrawal identifier and the code from the PDF document.',
  'withdrawal.code.identifier': 'Withdrawal identifier',
  'withdrawal.code.identifierHint': 'Like firstname.lastname@{domain} (or poste-…@{domain} for a shared workstation).',
  'withdrawal.code.code': 'Withdrawal code',
  'withdrawal.code.codeHint': '8 characters; upper and lower case matter.',
  'withdrawal.code.submit': 'Next',

  'withdrawal.password.heading': 'Protect the certificate file',
  'withdrawal.password.lead':
    'Choose a password for the certificate file: you will be asked for it once, when installing it. The certificate is then made and the file saved on this workstation.',
  'withdrawal.password.password': 'File password',
  'withdrawal.password.hint': 'At least {min} characters. This is not your account password.',
  'withdrawal.password.confirm': 'Confirm the password',
  'withdrawal.password.submit': 'Create and download the file',

  'withdrawal.install.heading': 'Install the certificate',
  'withdrawal.install.lead': 'The file {file} was saved in your downloads folder.',
  'withdrawal.install.again': 'Download again',
  'withdrawal.install.choose': 'Follow the instructions for your browser:',
  'withdrawal.install.firefox.title': 'Firefox (Windows, macOS or Linux)',
  'withdrawal.install.firefox.step1': 'Open the ☰ menu › Settings › Privacy & Security.',
  'withdrawal.install.firefox.step2': 'At the bottom, under Certificates, click View Certificates.',
  'withdrawal.install.firefox.step3': 'In the Your Certificates tab, click Import… and choose the file {file}.',
  'withdrawal.install.firefox.step4': 'Type the file password you chose in the previous step.',
  'withdrawal.install.windows.title': 'Chrome or Edge on Windows',
  'withdrawal.install.windows.step1': 'Open your Downloads folder and double-click the file {file}.',
  'withdrawal.install.windows.step2': 'The import wizard opens: choose “Current User”, then Next.',
  'withdrawal.install.windows.step3': 'Type the file password, let Windows choose the certificate store, and finish.',
  'withdrawal.install.mac.title': 'Safari or Chrome on macOS',
  'withdrawal.install.mac.step1': 'Double-click the file {file} in the Downloads folder.',
  'withdrawal.install.mac.step2': 'Keychain Access opens: choose the “login” keychain, then type the file password.',
  'withdrawal.install.linux.title': 'Chrome or Chromium on Linux',
  'withdrawal.install.linux.step1': 'Open chrome://settings/certificates in a new tab.',
  'withdrawal.install.linux.step2': 'Under Your certificates, click Import and choose the file {file}.',
  'withdrawal.install.linux.step3': 'Type the file password.',
  'withdrawal.install.restart': 'Then close the browser completely and open it again: it will offer this certificate to the platform’s applications.',
  'withdrawal.install.delete': 'Once the certificate is installed, delete the .p12 file from your downloads folder.',
  'withdrawal.install.root':
    'Once per workstation: also trust the platform’s root certificate, or the browser will flag its addresses as not secure. Download the {link} and import it as a certificate authority (Firefox: Settings › Privacy & Security › View Certificates › Authorities tab; Windows: “Trusted Root Certification Authorities” store; macOS: System keychain, then “Always Trust”).',
  'withdrawal.install.rootLink': 'root certificate',
  'withdrawal.install.noRoot': 'No root certificate to install: your browser already recognises the platform’s addresses.',
  'withdrawal.install.done': 'All done: you may close this tab.',

  'withdrawal.script.progress.generating': 'Creating the key in your browser…',
  'withdrawal.script.progress.sending': 'Sending the certificate request…',
  'withdrawal.script.progress.received': 'Certificate received.',
  'withdrawal.script.progress.building': 'Creating the protected file…',
  'withdrawal.script.progress.downloaded': 'File saved.',
  'withdrawal.script.check.secure.ok': 'yes',
  'withdrawal.script.check.secure.fail': 'no: open this page through its https:// address',
  'withdrawal.script.check.webcrypto.ok': 'yes',
  'withdrawal.script.check.webcrypto.fail': 'no: this browser cannot create keys',
  'withdrawal.script.check.download.ok': 'yes',
  'withdrawal.script.check.download.fail': 'no: this browser cannot save the file',
  'withdrawal.script.check.ok': 'This browser is compatible. You can continue.',
  'withdrawal.script.check.fail': 'This browser cannot pick up a certificate. Use a recent Firefox, Chrome, Edge or Safari on this workstation.',
  'withdrawal.script.password.tooShort': 'The password must have at least {min} characters.',
  'withdrawal.script.password.mismatch': 'The two passwords differ.',
  'withdrawal.script.field.required': 'Fill in this field.',
  'withdrawal.script.resume.text':
    'A certificate pickup for {identifier} was interrupted in this browser on {date}. You can resume it until {until}: you will get the same certificate, your code is not lost.',
  'withdrawal.script.resume.code': 'Type the withdrawal code from the PDF document again: it resumes the interrupted pickup.',
  'withdrawal.script.error.invalid_code': 'Wrong withdrawal identifier or code. Check them in the PDF document.',
  'withdrawal.script.error.code_expired': 'This withdrawal code has expired. Ask the coordination cell for a new one.',
  'withdrawal.script.error.code_used':
    'This withdrawal code has already been used. If the pickup was interrupted on this workstation, reopen this page in the same browser to resume it; otherwise ask the coordination cell for a new code.',
  'withdrawal.script.error.code_locked': 'This withdrawal code is locked after too many wrong tries. Ask the coordination cell for a new one.',
  'withdrawal.script.error.invalid_csr': 'The certificate request made by this browser was refused. Try another browser.',
  'withdrawal.script.error.invalid_request': 'The request is incomplete. Check the fields and try again.',
  'withdrawal.script.error.rate_limited': 'Too many attempts from this computer. Wait a few minutes before trying again.',
  'withdrawal.script.error.account_deactivated': 'This account is deactivated. Contact the coordination cell.',
  'withdrawal.script.error.account_locked': 'This account is locked. Contact the coordination cell.',
  'withdrawal.script.error.renewal_collective':
    'A collective certificate is not renewed from the workstation: the establishment’s referent asks the coordination cell for a new one.',
  'withdrawal.script.error.renewal_unknown': 'The renewal was not recognised. Reload the page and start again.',
  'withdrawal.script.error.authentication_required': 'Your session has expired. Reload the page to sign in again.',
  'withdrawal.script.error.session_expired': 'Your session has expired. Reload the page to sign in again.',
  'withdrawal.script.error.invalid_csrf_token': 'The page has expired. Reload it and start again.',
  'withdrawal.script.error.network': 'The server could not be reached. Check your connection and try again.',
  'withdrawal.script.error.internal_error': 'Something unexpected went wrong. Try again in a moment.',

  'withdrawal.renewal.title': 'Renew this workstation’s certificate',
  'withdrawal.renewal.lead':
    'You are signed in with this workstation’s certificate. You can get a new one without a withdrawal code: the new key is created in this browser.',
  'withdrawal.renewal.current': 'Current certificate',
  'withdrawal.renewal.identifier': 'Identifier',
  'withdrawal.renewal.label': 'Workstation',
  'withdrawal.renewal.serial': 'Serial number',
  'withdrawal.renewal.notAfter': 'Valid until',
  'withdrawal.renewal.dueSoon': 'This certificate expires in {days} days: renew it now.',
  'withdrawal.renewal.early':
    'This certificate is still valid for {days} days. You may renew it already; an email will remind you {notice} days before it expires.',
  'withdrawal.renewal.how':
    'The current certificate stays valid until the new one is used once on an application of the platform (it is then revoked), or until it expires: a failed installation does not lock you out.',
  'withdrawal.renewal.button': 'Renew the certificate',
  'withdrawal.renewal.done':
    'Your previous certificate (serial number {serial}, valid until {date}) stays valid until you use the new one. Install the new file, close and reopen the browser, then go back to the application choosing the new certificate: the previous one is then revoked automatically.',
  'withdrawal.renewal.removeOld': 'Then remove the previous certificate from this browser, or it will still be offered (marked revoked):',
  'withdrawal.renewal.removeOld.firefox':
    'Firefox: menu ☰ › Settings › Privacy & Security › View Certificates › Your Certificates tab: select the previous certificate (same name, earliest expiry date) and click Delete.',
  'withdrawal.renewal.removeOld.windows':
    'Chrome or Edge on Windows: Windows key, type “certmgr.msc”, Personal › Certificates folder: right-click the previous certificate (earliest expiry date) › Delete.',
  'withdrawal.renewal.removeOld.mac': 'macOS: Keychain Access › My Certificates: right-click the previous certificate (earliest expiry date) › Delete.',
  'withdrawal.renewal.removeOld.linux':
    'Chrome or Chromium on Linux: chrome://settings/certificates › Your certificates: delete the previous certificate (earliest expiry date).',
  'withdrawal.renewal.collective.title': 'Collective certificate',
  'withdrawal.renewal.collective.lead':
    'This shared workstation uses a collective certificate: it is not renewed from the workstation. The establishment’s referent asks the coordination cell for a new one.',
};
