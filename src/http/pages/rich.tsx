import type { ComponentChild } from 'preact';
import { message, type Lang, type MessageKey } from '../i18n/index.ts';

/**
 * Translate `key` and put elements (links…) where its `{name}` placeholders are.
 * Slot values are rendered by Preact, hence escaped like any other child.
 */
export function tRich(lang: Lang, key: MessageKey, slots: Record<string, ComponentChild>): ComponentChild[] {
  return message(lang, key)
    .split(/(\{\w+\})/)
    .filter((part) => part !== '')
    .map((part) => {
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      return name !== undefined && name in slots ? slots[name] : part;
    });
}

/** Only http(s), root-relative, query or fragment URLs reach an href or a form action. */
export function safeUrl(url: string): string {
  return /^(https?:\/\/|[/?#])/i.test(url) ? url : '#';
}

/** Link to an email address when the support contact looks like one, plain text otherwise. */
export function SupportContact({ contact }: { contact: string }) {
  return /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(contact) ? <a href={`mailto:${contact}`}>{contact}</a> : <>{contact}</>;
}
