import { t } from '../../../i18n/index.ts';
import { ConsoleLayout } from '../layout.tsx';
import { CsrfField } from '../../portal/shell.tsx';
import { DetailList, type PeoplePageBase } from './parts.tsx';

export interface ConfirmPageProps extends PeoplePageBase {
  title: string;
  /** What will happen, in a sentence or two. */
  lead: string;
  /** What the action is about (person, certificate, application…). */
  facts: Array<[string, string]>;
  /** Where the POST goes. */
  action: string;
  submit: string;
  /** Destructive actions get the red button. */
  danger: boolean;
  cancel: string;
  /** A required choice (the revocation reason). */
  choice?: { name: string; label: string; hint: string; options: Array<{ value: string; label: string }>; selected: string } | null;
}

/** "Confirmer …": nothing destructive happens on a GET or in one click. */
export function ConfirmPage(props: ConfirmPageProps) {
  const { lang, choice } = props;
  return (
    <ConsoleLayout {...props} title={props.title} page="console-people-confirm" section="people">
      <p class="lead">{props.lead}</p>
      <DetailList rows={props.facts} />
      <form class="form" method="post" action={props.action}>
        <CsrfField token={props.csrfToken} />
        {choice ? (
          <div class="field">
            <label for="f-choice">{choice.label}</label>
            <p class="field-hint" id="f-choice-hint">
              {choice.hint}
            </p>
            <select id="f-choice" name={choice.name} required aria-describedby="f-choice-hint">
              {choice.options.map((o) => (
                <option key={o.value} value={o.value} selected={o.value === choice.selected}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <ul class="people-actions">
          <li>
            <button class={props.danger ? 'button button-danger' : 'button'} type="submit">
              {props.submit}
            </button>
          </li>
          <li>
            <a class="button button-secondary" href={props.cancel}>
              {t(lang, 'people.confirm.cancel')}
            </a>
          </li>
        </ul>
      </form>
    </ConsoleLayout>
  );
}
