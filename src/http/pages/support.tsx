import { currentSite } from '../site.ts';

/** The support inline, in a sentence: e-mail link when known, else the configured contact text. */
export function SiteSupport() {
  const { support } = currentSite();
  const email = support.email ?? /[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+/.exec(support.contact)?.[0] ?? null;
  if (support.email || support.phone) {
    return (
      <>
        {support.name} (
        {email && <a href={`mailto:${email}`}>{email}</a>}
        {email && support.phone && ', '}
        {support.phone && <a href={`tel:${support.phone.replace(/[^+\d]/g, '')}`}>{support.phone}</a>})
      </>
    );
  }
  if (!email) return <>{support.contact}</>;
  const at = support.contact.indexOf(email);
  return (
    <>
      {support.contact.slice(0, at)}
      <a href={`mailto:${email}`}>{email}</a>
      {support.contact.slice(at + email.length)}
    </>
  );
}
