import { t, type MessageKey } from '../../i18n/index.ts';
import { PortalLayout, type PortalPageProps } from './shell.tsx';

/** A short page that says one thing and offers one way on (expired form, locked account…). */
export function PortalMessagePage(props: PortalPageProps & { title: MessageKey; lead: string; code: string; link: { href: string; label: MessageKey } }) {
  const { lang } = props;
  return (
    <PortalLayout {...props} title={t(lang, props.title)} page="portal-message" errorCode={props.code}>
      <div class="alert alert-error" role="alert">
        <p>{props.lead}</p>
      </div>
      <p>
        <a href={props.link.href}>{t(lang, props.link.label)}</a>
      </p>
    </PortalLayout>
  );
}
