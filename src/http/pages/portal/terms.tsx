import { t } from '../../i18n/index.ts';
import { PortalLayout, type PortalPageProps } from './shell.tsx';

const SECTIONS = [
  ['portal.terms.purpose.title', ['portal.terms.purpose.p1', 'portal.terms.purpose.p2']],
  ['portal.terms.certificate.title', ['portal.terms.certificate.p1', 'portal.terms.certificate.p2', 'portal.terms.certificate.p3']],
  ['portal.terms.password.title', ['portal.terms.password.p1', 'portal.terms.password.p2']],
  ['portal.terms.confidentiality.title', ['portal.terms.confidentiality.p1', 'portal.terms.confidentiality.p2']],
  ['portal.terms.traceability.title', ['portal.terms.traceability.p1', 'portal.terms.traceability.p2']],
  ['portal.terms.data.title', ['portal.terms.data.p1', 'portal.terms.data.p2']],
] as const;

/** Terms of use accepted at first login: certificate use, confidentiality, traceability. */
export function TermsPage(props: PortalPageProps & { supportContact: string; maxFailures: number; idleMinutes: number }) {
  const { lang } = props;
  return (
    <PortalLayout {...props} title={t(lang, 'portal.terms.title')} page="portal-terms">
      <p class="lead">{t(lang, 'portal.terms.lead')}</p>
      {SECTIONS.map(([title, paragraphs], index) => (
        <section key={title} aria-labelledby={`terms-${index}`}>
          <h2 id={`terms-${index}`}>{t(lang, title)}</h2>
          {paragraphs.map((p) => (
            <p key={p}>{t(lang, p, { count: props.maxFailures, minutes: props.idleMinutes })}</p>
          ))}
        </section>
      ))}
      <p>{t(lang, 'portal.terms.contact', { contact: props.supportContact })}</p>
    </PortalLayout>
  );
}
