# syntax=docker/dockerfile:1
# Passerelle image: `docker build -t passerelle .`
#   docker run -p 8443:8443 -p 9443:9443 -v passerelle-data:/data \
#     -e PASSERELLE_PKI_PASSPHRASE=… -e DATABASE_URL=postgres://… -e REDIS_URL=redis://… passerelle
# The image runs the compiled JavaScript (dist/, `npm run build`): no tsx, esbuild or TypeScript at run time.

# ---- build: install, compile (type errors fail it), drop dev dependencies ---------------
FROM node:24-slim AS build
WORKDIR /app
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.ts scripts/build-assets.ts ./scripts/
COPY bin ./bin
COPY config ./config
COPY src ./src
# src/ → dist/ with tsc; the browser bundles (withdrawal page, idle notice), the SQL migrations and
# the other data files are copied beside the compiled code.
RUN npm run build
RUN npm prune --omit=dev && npm cache clean --force

# ---- runtime ---------------------------------------------------------------------------
FROM node:24-slim
ENV NODE_ENV=production \
    PASSERELLE_DATA_DIR=/data
# Code and dependencies stay owned by root (read-only to the service); only /data is writable.
RUN groupadd --system --gid 10001 passerelle \
 && useradd --system --uid 10001 --gid 10001 --home-dir /data --no-create-home --shell /usr/sbin/nologin passerelle \
 && mkdir -p /data \
 && chown 10001:10001 /data \
 && chmod 0700 /data
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/config ./config
COPY --from=build /app/dist ./dist
USER 10001:10001
VOLUME /data
# 8443: public listener (portal, registration, withdrawal, JWKS, CRL); 9443: gateway (mTLS).
EXPOSE 8443 9443
# The public listener answers GET /healthz with {"status":"ok"} (503 when the database is down).
# Its certificate is issued by Passerelle's own CA, hence rejectUnauthorized:false for this probe only.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "const port = Number(process.env.PASSERELLE_PUBLIC_PORT || 8443); const req = require('node:https').get({ host: '127.0.0.1', port, path: '/healthz', rejectUnauthorized: false, timeout: 4000 }, (res) => { let body = ''; res.setEncoding('utf8'); res.on('data', (c) => { body += c; }); res.on('end', () => { let ok = false; try { ok = res.statusCode === 200 && JSON.parse(body).status === 'ok'; } catch {} process.exit(ok ? 0 : 1); }); }); req.on('timeout', () => req.destroy(new Error('timeout'))); req.on('error', () => process.exit(1));"]
# A small young generation: V8 would otherwise commit up to 128 MB for it on a large host (see docs/operations.md, Sizing).
ENTRYPOINT ["node", "--max-semi-space-size=8", "dist/cli/main.js"]
CMD ["serve"]
