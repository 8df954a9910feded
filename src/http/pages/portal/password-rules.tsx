import { t, type Lang } from '../../i18n/index.ts';

/** The password policy, said before the person types (not only after a refusal). */
export function PasswordRules({ lang, minLength, historySize }: { lang: Lang; minLength: number; historySize: number }) {
  return (
    <div class="password-rules">
      <p>{t(lang, 'portal.password.rules')}</p>
      <ul>
        <li>{t(lang, 'portal.password.rule.length', { min: minLength })}</li>
        <li>{t(lang, 'portal.password.rule.identifier')}</li>
        <li>{t(lang, 'portal.password.rule.common')}</li>
        {historySize > 0 && <li>{t(lang, 'portal.password.rule.history', { count: historySize })}</li>}
      </ul>
      <p class="field-hint">{t(lang, 'portal.password.advice')}</p>
    </div>
  );
}
