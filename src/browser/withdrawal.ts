/**
 * The withdrawal (/retrait) and renewal (/.passerelle/renouveler) pages' script, bundled by
 * scripts/build-assets.ts into src/http/assets/withdrawal.bundle.js. The key pair is generated here,
 * the CSR sent, the certificate received and the password-protected .p12 built and saved — the private
 * key never leaves the browser.
 */
import { CHECKS, IDS, type KeyAlgorithmName, type Mode, type ScriptMessage } from './dom.ts';
import { postJson, type IssuedCertificate } from './api.ts';
import type { ApiError } from './dom.ts';
import { clearPending, loadPending, resumableUntil, savePending } from './pending.ts';
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
  /** Withdrawal: the code, checked by the server, sent with the CSR once the file password is chosen. */
  code: string;
  /** Resuming an interrupted withdrawal of this browser: the code is already spent, not checked again. */
  resuming: boolean;
}

function start(): void {
  const root = maybeById(IDS.root);
  if (!root) return;
  const mode = (root.dataset.mode === 'renewal' ? 'renewal' : 'withdrawal') satisfies Mode;
  const keyAlgorithm = (root.dataset.keyAlgorithm === 'ec-p256' ? 'ec-p256' : 'rsa-2048') satisfies KeyAlgorithmName;
  const submitUrl = root.dataset.submitUrl ?? '';
  const checkUrl = root.dataset.checkUrl ?? '';
  const retryWindowMs = (Number(root.dataset.retryWindowMinutes ?? '15') || 0) * 60_000;
  const passwordMin = Number(root.dataset.passwordMin ?? '8') || 8;
  const csrfHeaders: Record<string, string> = root.dataset.csrf ? { 'x-csrf-token': root.dataset.csrf } : {};
  const message = loadMessages();
  const state: State = { keys: null, csr: null, issued: null, identifier: root.dataset.identifier ?? '', code: '', resuming: false };

  byId(IDS.noscript).hidden = true;
  byId(IDS.startAction).hidden = false;
  byId<HTMLButtonElement>(IDS.startButton).addEventListener('click', () => {
    showStep(IDS.stepCheck);
    runChecks();
  });
  if (mode === 'withdrawal') void offerResume();

  /** A withdrawal interrupted in this browser (tab closed, crash) within the retry window: offer to finish it. */
  async function offerResume(): Promise<void> {
    const pending = await loadPending(retryWindowMs);
    const box = maybeById(IDS.resume);
    if (!pending || !box) return;
    const format = (ms: number) => new Intl.DateTimeFormat(document.documentElement.lang || 'fr', { dateStyle: 'long', timeStyle: 'short' }).format(new Date(ms));
    byId(IDS.resumeText).textContent = fill(message('resume.text'), { identifier: pending.identifier, date: format(pending.sentAt), until: format(resumableUntil(pending, retryWindowMs)) });
    box.hidden = false;
    byId<HTMLButtonElement>(IDS.resumeButton).addEventListener('click', () => {
      state.keys = { publicKey: pending.publicKey, privateKey: pending.privateKey };
      state.csr = { commonName: pending.identifier.split('@')[0] ?? '', pem: pending.csrPem };
      state.identifier = pending.identifier;
      state.issued = pending.issued;
      state.resuming = true;
      box.hidden = true;
      if (pending.issued) {
        showStep(IDS.stepPassword);
        return;
      }
      const identifierInput = byId<HTMLInputElement>(IDS.identifier);
      identifierInput.value = pending.identifier;
      identifierInput.readOnly = true;
      showError(IDS.codeError, null);
      byId(`${IDS.code}-hint`).textContent = message('resume.code');
      showStep(IDS.stepCode);
    });
    byId<HTMLButtonElement>(IDS.resumeDiscard).addEventListener('click', () => {
      box.hidden = true;
      void clearPending();
    });
  }

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
    showStep(mode === 'withdrawal' ? IDS.stepCode : IDS.stepPassword);
  });

  // Step 3 (withdrawal): identifier + code, checked by the server without spending the code.
  const codeForm = maybeById<HTMLFormElement>(IDS.codeForm);
  codeForm?.addEventListener('submit', (event) => {
    event.preventDefault();
    void checkCode(codeForm);
  });

  function codeProblem(error: ApiError): void {
    const codeInput = byId<HTMLInputElement>(IDS.code);
    const wrong = error === 'invalid_code' || error === 'code_locked' || error === 'code_expired' || error === 'code_used';
    markInvalid(codeInput, wrong, IDS.codeError);
    setProgress('');
    showError(IDS.codeError, message(`error.${error}`));
    codeInput.focus();
  }

  async function checkCode(form: HTMLFormElement): Promise<void> {
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
    // Resuming: the code was spent by the interrupted withdrawal; the CSR sent again proves the rest.
    if (!state.resuming) {
      setBusy(form, true);
      const result = await postJson<{ ok: true }>(checkUrl, { identifier, code }).finally(() => setBusy(form, false));
      if (!result.ok) return codeProblem(result.error);
      state.identifier = identifier;
    }
    markInvalid(codeInput, false, IDS.codeError);
    state.code = code;
    showStep(IDS.stepPassword);
  }

  /**
   * Makes the key pair (once: a retry reuses it) and the CSR, keeps them in IndexedDB (withdrawal), sends
   * the CSR; null or an error code.
   */
  async function requestCertificate(): Promise<ApiError | null> {
    setProgress(message('progress.generating'));
    try {
      state.keys ??= await generateKeyPair(keyAlgorithm);
      const name = state.identifier.split('@')[0] ?? '';
      if (state.csr?.commonName !== name) state.csr = { commonName: name, pem: await buildCsr(state.keys, name) };
    } catch {
      return 'internal_error';
    }
    const pending = { identifier: state.identifier, publicKey: state.keys.publicKey, privateKey: state.keys.privateKey, csrPem: state.csr.pem, sentAt: Date.now(), issued: null };
    if (mode === 'withdrawal') await savePending(pending).catch(() => undefined);
    setProgress(message('progress.sending'));
    const fields = mode === 'withdrawal' ? { identifier: state.identifier, code: state.code } : {};
    const result = await postJson<IssuedCertificate>(submitUrl, { ...fields, csr: state.csr.pem }, csrfHeaders);
    if (!result.ok) return result.error;
    state.issued = result.data;
    if (mode === 'withdrawal') await savePending({ ...pending, issued: result.data }).catch(() => undefined);
    setProgress(message('progress.received'));
    return null;
  }

  // Step 4: the .p12 password, then the certificate, then the file.
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
    setBusy(form, true);
    if (!state.issued) {
      const error = await requestCertificate();
      if (error) {
        setBusy(form, false);
        setProgress('');
        if (mode === 'withdrawal' && (error.startsWith('code_') || error === 'invalid_code')) {
          showStep(IDS.stepCode);
          codeProblem(error);
          return;
        }
        showError(IDS.passwordError, message(`error.${error}`));
        passwordInput.focus();
        return;
      }
    }
    if (!state.keys || !state.issued) return;
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
    // The file exists: the key pair leaves IndexedDB (the Blob in memory still serves "download again").
    if (mode === 'withdrawal') await clearPending();
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
    const fileName = p12FileName(state.identifier, new Date());
    return { fileName, again: saveFile(p12, fileName) };
  }
}

/** `{name}` placeholders of a server-rendered message. */
function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
else start();
