/**
 * The withdrawal (/retrait) and renewal (/.passerelle/renouveler) pages' script, bundled by
 * scripts/build-assets.ts into src/http/assets/withdrawal.bundle.js. The key pair is generated here,
 * the CSR sent, the certificate received and the password-protected .p12 built and saved — the private
 * key never leaves the browser.
 */
import { CHECKS, IDS, type KeyAlgorithmName, type Mode, type ScriptMessage } from './dom.ts';
import { postJson, type IssuedCertificate } from './api.ts';
import { checkBrowser, detectPlatform } from './compat.ts';
import { buildCsr } from './csr.ts';
import { generateKeyPair } from './keys.ts';
import { buildPkcs12, isAcceptablePassword } from './pkcs12.ts';
import { pemToDer } from './bytes.ts';
import { p12FileName, saveFile } from './download.ts';
import { byId, loadMessages, markInvalid, maybeById, setBusy, setProgress, showError, showStep } from './ui.ts';

interface State {
  keys: CryptoKeyPair | null;
  /** The CSR sent, reused on a retry so that a lost answer gets the same certificate back. */
  csr: { commonName: string; pem: string } | null;
  issued: IssuedCertificate | null;
  identifier: string;
}

function start(): void {
  const root = maybeById(IDS.root);
  if (!root) return;
  const mode = (root.dataset.mode === 'renewal' ? 'renewal' : 'withdrawal') satisfies Mode;
  const keyAlgorithm = (root.dataset.keyAlgorithm === 'ec-p256' ? 'ec-p256' : 'rsa-2048') satisfies KeyAlgorithmName;
  const submitUrl = root.dataset.submitUrl ?? '';
  const passwordMin = Number(root.dataset.passwordMin ?? '8') || 8;
  const csrfHeaders: Record<string, string> = root.dataset.csrf ? { 'x-csrf-token': root.dataset.csrf } : {};
  const message = loadMessages();
  const state: State = { keys: null, csr: null, issued: null, identifier: root.dataset.identifier ?? '' };

  byId(IDS.noscript).hidden = true;
  byId(IDS.startAction).hidden = false;
  byId<HTMLButtonElement>(IDS.startButton).addEventListener('click', () => {
    showStep(IDS.stepCheck);
    runChecks();
  });

  // Step 2: compatibility of this browser.
  const continueButton = byId<HTMLButtonElement>(IDS.continueButton);
  function runChecks(): void {
    const results = checkBrowser();
    for (const check of CHECKS) {
      const row = byId(IDS.checks).querySelector<HTMLElement>(`[data-check="${check}"] [data-result]`);
      if (row) row.textContent = message(`check.${check}.${results[check] ? 'ok' : 'fail'}` as ScriptMessage);
    }
    const ok = CHECKS.every((check) => results[check]);
    byId(IDS.checkResult).textContent = message(ok ? 'check.ok' : 'check.fail');
    byId(IDS.continueAction).hidden = !ok;
  }
  continueButton.addEventListener('click', () => {
    if (mode === 'withdrawal') {
      showStep(IDS.stepCode);
      return;
    }
    void renew();
  });

  // Step 3 (withdrawal): identifier + code → key, CSR, certificate.
  const codeForm = maybeById<HTMLFormElement>(IDS.codeForm);
  codeForm?.addEventListener('submit', (event) => {
    event.preventDefault();
    void withdraw(codeForm);
  });

  async function withdraw(form: HTMLFormElement): Promise<void> {
    const identifierInput = byId<HTMLInputElement>(IDS.identifier);
    const codeInput = byId<HTMLInputElement>(IDS.code);
    const identifier = identifierInput.value.trim();
    const code = codeInput.value.replace(/\s+/g, '');
    markInvalid(identifierInput, identifier === '', IDS.codeError);
    markInvalid(codeInput, code === '', IDS.codeError);
    if (identifier === '' || code === '') {
      showError(IDS.codeError, message('field.required'));
      (identifier === '' ? identifierInput : codeInput).focus();
      return;
    }
    showError(IDS.codeError, null);
    setBusy(form, true);
    const error = await requestCertificate({ identifier, code }, identifier).finally(() => setBusy(form, false));
    if (error) {
      const wrong = error === 'invalid_code' || error === 'code_locked' || error === 'code_expired' || error === 'code_used';
      markInvalid(codeInput, wrong, IDS.codeError);
      setProgress('');
      showError(IDS.codeError, message(`error.${error}`));
      codeInput.focus();
      return;
    }
    state.identifier = identifier;
    showStep(IDS.stepPassword);
  }

  // Renewal: the certificate presented is the proof; straight to key and CSR.
  async function renew(): Promise<void> {
    showError(IDS.checkError, null);
    continueButton.disabled = true;
    const error = await requestCertificate({}, state.identifier).finally(() => (continueButton.disabled = false));
    if (error) {
      setProgress('');
      showError(IDS.checkError, message(`error.${error}`));
      continueButton.focus();
      return;
    }
    showStep(IDS.stepPassword);
  }

  /** Makes the key pair (once: a retry after a wrong code reuses it), sends the CSR; null or an error code. */
  async function requestCertificate(fields: Record<string, string>, commonName: string) {
    setProgress(message('progress.generating'));
    try {
      state.keys ??= await generateKeyPair(keyAlgorithm);
    } catch {
      return 'internal_error' as const;
    }
    const name = commonName.split('@')[0] ?? '';
    if (state.csr?.commonName !== name) state.csr = { commonName: name, pem: await buildCsr(state.keys, name) };
    setProgress(message('progress.sending'));
    const result = await postJson<IssuedCertificate>(submitUrl, { ...fields, csr: state.csr.pem }, csrfHeaders);
    if (!result.ok) return result.error;
    state.issued = result.data;
    setProgress(message('progress.received'));
    return null;
  }

  // Step 4: the .p12 password, then the file.
  const passwordForm = byId<HTMLFormElement>(IDS.passwordForm);
  passwordForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void protect(passwordForm);
  });

  async function protect(form: HTMLFormElement): Promise<void> {
    const passwordInput = byId<HTMLInputElement>(IDS.password);
    const confirmInput = byId<HTMLInputElement>(IDS.passwordConfirm);
    const password = passwordInput.value;
    let problem: ScriptMessage | null = null;
    if (password.length < passwordMin || !isAcceptablePassword(password)) problem = 'password.tooShort';
    else if (password !== confirmInput.value) problem = 'password.mismatch';
    markInvalid(passwordInput, problem === 'password.tooShort', IDS.passwordError);
    markInvalid(confirmInput, problem === 'password.mismatch', IDS.passwordError);
    if (problem) {
      showError(IDS.passwordError, message(problem));
      (problem === 'password.tooShort' ? passwordInput : confirmInput).focus();
      return;
    }
    showError(IDS.passwordError, null);
    if (!state.keys || !state.issued) return;
    setBusy(form, true);
    setProgress(message('progress.building'));
    let saved: { fileName: string; again: () => void };
    try {
      saved = await saveP12(state.keys, state.issued, password);
    } catch {
      setBusy(form, false);
      setProgress('');
      showError(IDS.passwordError, message('error.internal_error'));
      return;
    }
    setBusy(form, false);
    passwordInput.value = '';
    confirmInput.value = '';
    byId(IDS.downloadAgain).addEventListener('click', saved.again);
    for (const slot of Array.from(document.querySelectorAll<HTMLElement>('[data-file-name]'))) slot.textContent = saved.fileName;
    const platform = detectPlatform(navigator.userAgent);
    const details = platform ? document.querySelector<HTMLDetailsElement>(`details[data-platform="${platform}"]`) : null;
    if (details) details.open = true;
    setProgress(message('progress.downloaded'));
    showStep(IDS.stepInstall);
    if (mode === 'renewal') await complete(state.issued.serial);
  }

  /** Builds the .p12 in memory and offers it as a download; returns how to offer it again. */
  async function saveP12(keys: CryptoKeyPair, issued: IssuedCertificate, password: string): Promise<{ fileName: string; again: () => void }> {
    const p12 = await buildPkcs12({
      privateKeyPkcs8: await crypto.subtle.exportKey('pkcs8', keys.privateKey),
      certificateDer: pemToDer(issued.certificate),
      // The issuing CA only: a root in the file makes Windows ask whether to trust it.
      chainDer: issued.chain.slice(0, 1).map(pemToDer),
      password,
      friendlyName: issued.label ? `${state.identifier.split('@')[0]} — ${issued.label}` : state.identifier,
    });
    const fileName = p12FileName(state.identifier);
    return { fileName, again: saveFile(p12, fileName) };
  }

  /** Renewal: the new file exists, so the old certificate can go (revoked as superseded). */
  async function complete(serial: string): Promise<void> {
    const completeUrl = root?.dataset.completeUrl;
    if (!completeUrl) return;
    setProgress(message('progress.completing'));
    const result = await postJson<{ revoked: string }>(completeUrl, { serial }, csrfHeaders);
    byId(result.ok ? IDS.renewalDone : IDS.renewalCompleteError).hidden = false;
    setProgress(result.ok ? message('progress.downloaded') : '');
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
else start();
