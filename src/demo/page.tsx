import type { ComponentChildren, VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { AssertionClaims } from '../identity/assertion.ts';
import type { RejectionReason } from './authenticate.ts';

export const DEMO_APP_NAME = 'OpenDRP démo';

/** Why a request was refused, in words an integrator can act on. */
export const REJECTION_TEXT: Record<RejectionReason, string> = {
  missing: "Aucune assertion X-Passerelle-Assertion n'a été reçue : la requête n'est pas passée par la passerelle.",
  expired: "L'assertion a expiré (elle ne vit que quelques secondes). Rechargez la page en passant par la passerelle.",
  not_yet_valid: "L'assertion n'est pas encore valide : les horloges de la passerelle et de l'application sont-elles synchronisées ?",
  wrong_audience: "L'assertion a été émise pour une autre application (son audience « aud » n'est pas celle de cette application).",
  wrong_issuer: "L'assertion a été émise par un autre émetteur (« iss ») que la passerelle attendue.",
  bad_signature: "La signature de l'assertion est invalide : elle n'a pas été produite par la passerelle.",
  unknown_key: "L'assertion est signée par une clé absente du JWKS publié par la passerelle.",
  malformed: "L'assertion est mal formée (ce n'est pas un JWT ES256 attendu).",
  jwks_unavailable: "Impossible de récupérer les clés publiques (JWKS) de la passerelle pour vérifier l'assertion.",
};

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1d1d1f; }
h1 { font-size: 1.4rem; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2rem; }
th, td { border: 1px solid #ccc; padding: .3rem .5rem; text-align: left; vertical-align: top; }
td { font-family: ui-monospace, monospace; word-break: break-all; }
tr.passerelle th { background: #e8f0fe; }
.refus { color: #a00; }
`;

function Layout(props: { title: string; children: ComponentChildren }) {
  return (
    <html lang="fr">
      <head>
        <meta charset="utf-8" />
        <title>{props.title}</title>
        <style>{STYLE}</style>
      </head>
      <body>{props.children}</body>
    </html>
  );
}

function HeadersTable(props: { rawHeaders: string[] }) {
  const rows: [string, string][] = [];
  for (let i = 0; i + 1 < props.rawHeaders.length; i += 2) rows.push([props.rawHeaders[i]!, props.rawHeaders[i + 1]!]);
  return (
    <table>
      <caption>En-têtes HTTP reçus par l'application, tels quels</caption>
      <tbody>
        {rows.map(([name, value], index) => (
          <tr key={index} class={name.toLowerCase().startsWith('x-passerelle-') ? 'passerelle' : undefined}>
            <th>{name}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function claimText(name: string, value: unknown): string {
  if (typeof value === 'number' && ['iat', 'nbf', 'exp'].includes(name)) return `${value} (${new Date(value * 1000).toISOString()})`;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function ClaimsTable(props: { claims: AssertionClaims }) {
  return (
    <table>
      <caption>Assertion vérifiée (signature ES256, émetteur, audience, validité)</caption>
      <tbody>
        {Object.entries(props.claims).map(([name, value]) => (
          <tr key={name}>
            <th>{name}</th>
            <td>{claimText(name, value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function page(node: VNode): string {
  return `<!DOCTYPE html>${renderToString(node)}`;
}

export function renderSignedInPage(claims: AssertionClaims, rawHeaders: string[]): string {
  return page(
    <Layout title={DEMO_APP_NAME}>
      <h1>
        {DEMO_APP_NAME} — connecté en tant que {claims.name} ({claims.preferred_username})
      </h1>
      <p>
        Cette application de démonstration vérifie l'en-tête X-Passerelle-Assertion à chaque requête, puis affiche ce
        qu'elle a reçu : voici exactement ce qu'une application intégrée derrière la passerelle voit.
      </p>
      <p>
        {/* The gateway's own sign-out (confirmation page, then the session is closed): what a real application links to. */}
        <a href={DEMO_LOGOUT_PATH}>Se déconnecter</a>
      </p>
      <ClaimsTable claims={claims} />
      <HeadersTable rawHeaders={rawHeaders} />
    </Layout>,
  );
}

/** The gateway's sign-out on every application host (src/http/gateway/login.ts). */
export const DEMO_LOGOUT_PATH = '/.passerelle/logout';

export function renderRejectedPage(reason: RejectionReason, rawHeaders: string[]): string {
  return page(
    <Layout title={`${DEMO_APP_NAME} — accès refusé`}>
      <h1 class="refus">{DEMO_APP_NAME} — accès refusé : assertion absente ou invalide</h1>
      <p>{REJECTION_TEXT[reason]}</p>
      <p>
        Code : <code>{reason}</code>
      </p>
      <HeadersTable rawHeaders={rawHeaders} />
    </Layout>,
  );
}
