import { IDS, type ScriptMessage } from './dom.ts';

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`missing #${id}`);
  return element as T;
}

export function maybeById<T extends HTMLElement = HTMLElement>(id: string): T | null {
  return document.getElementById(id) as T | null;
}

/** The texts the server rendered for the script, by key. */
export function loadMessages(): (key: ScriptMessage) => string {
  const messages = new Map<string, string>();
  for (const element of Array.from(byId(IDS.messages).querySelectorAll<HTMLElement>('[data-key]'))) messages.set(element.dataset.key ?? '', element.textContent ?? '');
  return (key) => messages.get(key) ?? messages.get('error.internal_error') ?? key;
}

const STEPS = [IDS.stepStart, IDS.stepCheck, IDS.stepCode, IDS.stepPassword, IDS.stepInstall];

/** Shows one step, hides the others and moves the focus to its heading (announced by screen readers). */
export function showStep(id: string): void {
  for (const step of STEPS) {
    const element = maybeById(step);
    if (element) element.hidden = step !== id;
  }
  const heading = maybeById(`${id}-heading`);
  heading?.focus();
}

export function setProgress(text: string): void {
  byId(IDS.progress).textContent = text;
}

export function showError(id: string, text: string | null): void {
  const box = byId(id);
  box.textContent = '';
  box.hidden = text === null;
  if (text !== null) {
    const p = document.createElement('p');
    p.textContent = text;
    box.append(p);
  }
}

/** Disables a form's controls while work runs (double submissions would generate two keys). */
export function setBusy(form: HTMLElement, busy: boolean): void {
  for (const control of Array.from(form.querySelectorAll<HTMLInputElement | HTMLButtonElement>('input, button'))) control.disabled = busy;
  form.setAttribute('aria-busy', busy ? 'true' : 'false');
}

/** Marks a field invalid (or valid again) for assistive technologies. */
export function markInvalid(input: HTMLInputElement, invalid: boolean, errorId: string): void {
  if (invalid) {
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-errormessage', errorId);
  } else {
    input.removeAttribute('aria-invalid');
    input.removeAttribute('aria-errormessage');
  }
}
