import type { ComponentChild } from 'preact';
import { message, type Lang, type MessageKey } from '../i18n/index.ts';
import { currentSite } from '../site.ts';
import { SiteSupport } from './support.tsx';

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

/**
 * The support in a sentence: the site's configured support (name, e-mail and phone as links) when this is
 * its contact, otherwise the text given with any e-mail address in it as a link.
 */
export function SupportContact({ contact }: { contact: string }) {
  if (contact === currentSite().support.contact) return <SiteSupport />;
  return <InlineContact contact={contact} />;
}

/** "la cellule de coordination (coordination@…)": the e-mail inside becomes a link, the words stay. */
function InlineContact({ contact }: { contact: string }) {
  const email = /[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+/.exec(contact)?.[0];
  if (!email) return <>{contact}</>;
  const at = contact.indexOf(email);
  return (
    <>
      {contact.slice(0, at)}
      <a href={`mailto:${email}`}>{email}</a>
      {contact.slice(at + email.length)}
    </>
  );
}
