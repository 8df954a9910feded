// A minimal application behind Passerelle: every request must carry a valid assertion, or it is
// refused with 401 — a request that did not come through the gateway has none.
//
//   PASSERELLE_JWKS_URL=https://portail.esante.example/.well-known/jwks.json \
//   PASSERELLE_ISSUER=https://portail.esante.example PASSERELLE_AUDIENCE=opendrp \
//   PASSERELLE_HEADERS='{"user":"X-OpenDRP-Login"}' \
//   NODE_EXTRA_CA_CERTS=/path/to/passerelle-ca.pem node server.ts
//
// It listens on 127.0.0.1 by default: put it on an interface only the gateway can reach.
import { createServer, type Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import { createAssertionVerifier, headerNamesFromConfig, type VerifierOptions } from './verify.ts';

export function createExampleServer(options: VerifierOptions): Server {
  const verifier = createAssertionVerifier(options);
  return createServer((req, res) => {
    verifier.verifyRequest(req.headers).then(
      (result) => {
        res.writeHead(result.ok ? 200 : 401, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
        res.end(JSON.stringify(result.ok ? { identity: result.identity } : { error: 'unauthenticated', reason: result.reason }));
      },
      () => {
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ error: 'internal' }));
      },
    );
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // eslint-disable-next-line no-restricted-properties -- a standalone example reads its own environment
  const env = process.env;
  const host = env.HOST ?? '127.0.0.1';
  const port = Number(env.PORT ?? 3000);
  // Renamed headers: the same names as the application's `headers` in Passerelle's configuration.
  const headers = headerNamesFromConfig(env.PASSERELLE_HEADERS);
  const server = createExampleServer({ jwksUrl: env.PASSERELLE_JWKS_URL ?? '', issuer: env.PASSERELLE_ISSUER ?? '', audience: env.PASSERELLE_AUDIENCE ?? '', headers });
  server.listen(port, host, () => console.log(`listening on http://${host}:${port}`));
}
