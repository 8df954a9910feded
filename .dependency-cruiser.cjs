// The house's layer rules, checked by `npm run lint` (README "Layout"). Each tier imports only
// the tiers below it; no file imports itself back through a cycle. Folder cycles are checked by
// scripts/check-folder-cycles.ts on the same graph.
//
//   app        src/app/          composition root: wiring, serve, periodic jobs, host table
//   cli, http  src/cli/ src/http/   surfaces; only http/ knows Express
//   domain     src/<feature>/    accounts, authentication, certificates, legacy, portal, …
//   pki        src/pki/          pure X.509: keys, certificates, CSR, CRL, PKCS#12
//   platform   src/storage/ src/session/ src/audit/ src/events/   every SQL statement, sessions, the audit trail, cache invalidation
//   config     src/config/       the only reader of process.env
//   model      src/model/ src/shared/   entity types (model imports nothing), clock, random, errors
const DOMAIN = '^src/(core|accounts|approval|authentication|authorization|ca|cps|console|enrollment|identity|legacy|notification|people|portal|proxy|registry|regulation|services|sso|tokens|demo)/';
const SURFACES = '^src/(http|cli)/';
const APP = '^src/(app/|runtime\\.ts)';
const PLATFORM = '^src/(storage|session|audit|events)/';

module.exports = {
  forbidden: [
    { name: 'no-file-cycle', severity: 'error', comment: 'Files import each other in a loop: extract what both need into a lower module.', from: { path: '^src/' }, to: { circular: true } },
    { name: 'model-imports-nothing', severity: 'error', comment: 'src/model holds plain types and values: it imports nothing.', from: { path: '^src/model/' }, to: { pathNot: '^src/model/' } },
    { name: 'shared-stays-low', severity: 'error', from: { path: '^src/shared/' }, to: { path: '^src/', pathNot: '^src/(shared|model)/' } },
    { name: 'config-stays-low', severity: 'error', from: { path: '^src/config/' }, to: { path: '^src/', pathNot: '^src/(config|shared|model)/' } },
    { name: 'platform-below-domain', severity: 'error', comment: 'Storage, sessions and audit know no feature, surface or composition root.', from: { path: PLATFORM }, to: { path: '^src/', pathNot: '^src/(storage|session|audit|events|config|shared|model)/' } },
    { name: 'pki-is-pure', severity: 'error', comment: 'src/pki is pure X.509: no storage, no mail, no feature.', from: { path: '^src/pki/' }, to: { path: '^src/', pathNot: '^src/(pki|shared|model)/' } },
    { name: 'domain-below-surfaces', severity: 'error', comment: 'Features never import a surface (http, cli) or the composition root: inject what they need.', from: { path: DOMAIN }, to: { path: `${SURFACES}|${APP}` } },
    { name: 'http-not-cli', severity: 'error', from: { path: '^src/http/' }, to: { path: `^src/cli/|${APP}` } },
    { name: 'cli-not-http-internals', severity: 'error', comment: 'The CLI reaches the HTTP surfaces only through the composition root.', from: { path: '^src/cli/' }, to: { path: '^src/http/' } },
    { name: 'only-http-knows-express', severity: 'error', from: { path: '^src/', pathNot: '^src/(http|app)/' }, to: { path: 'node_modules/express/' } },
    { name: 'express-session-in-session', severity: 'error', comment: 'Session stores are built on express-session in src/session; the rest of the house sees its narrow interface.', from: { path: '^src/', pathNot: '^src/(http|app|session)/' }, to: { path: 'node_modules/express-session/' } },
    { name: 'browser-is-separate', severity: 'error', comment: 'The withdrawal page script is bundled for the browser: it imports only itself.', from: { path: '^src/browser/' }, to: { path: '^src/', pathNot: '^src/browser/' } },
    { name: 'server-not-browser', severity: 'error', comment: 'Only the page/script contract (ids, message keys) is shared with the server.', from: { path: '^src/', pathNot: '^src/browser/' }, to: { path: '^src/browser/', pathNot: '^src/browser/dom\\.ts$' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
