import { t } from '../../../i18n/index.ts';
import { MigrationLayout, type MigrationPageBase } from './parts.tsx';

export interface MigrationConfirmProps extends MigrationPageBase {
  /** What will happen, in full. */
  message: string;
  action: string;
  fields: Record<string, string>;
  danger: boolean;
}

/** "Confirmer …": nothing destructive happens on a GET. */
export function MigrationConfirmPage(props: MigrationConfirmProps) {
  const { lang } = props;
  return (
    <MigrationLayout base={props} title={t(lang, 'legacy.console.confirm.title')} page="console-migration-confirm">
      <p class="lead" id="confirm-message">
        {props.message}
      </p>
      <form method="post" action={props.action} aria-describedby="confirm-message">
        <input type="hidden" name="csrf" value={props.csrfToken} />
        {Object.entries(props.fields).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <button class={props.danger ? 'button button-danger' : 'button'} type="submit">
          {t(lang, 'legacy.console.confirm.submit')}
        </button>{' '}
        <a class="button button-secondary" href="/migration">
          {t(lang, 'legacy.console.confirm.cancel')}
        </a>
      </form>
    </MigrationLayout>
  );
}

export interface MigrationErrorProps extends MigrationPageBase {
  message: string;
  code: string;
}

export function MigrationErrorPage(props: MigrationErrorProps) {
  const { lang } = props;
  return (
    <MigrationLayout base={props} title={t(lang, 'legacy.console.error.title')} page="console-migration-error">
      <div class="alert alert-error" role="alert" data-error-code={props.code}>
        <p>{props.message}</p>
      </div>
      <p class="secondary-action">
        <a href="/migration">{t(lang, 'legacy.console.back')}</a>
      </p>
    </MigrationLayout>
  );
}
