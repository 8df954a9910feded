/**
 * docs/openapi.yaml against the routers actually served: every admin API route registered
 * on the console host (adminApi and every src/http/console/api-*.ts router, walked through
 * their Express stacks) is documented, and every documented operation is served — except
 * the ones marked `x-passerelle-planned`, which must NOT be served yet (drop the mark once
 * they are). Plus the document's own consistency: OpenAPI 3.1, unique operationIds, every
 * $ref resolves, every path parameter declared.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import type { Router } from 'express';
import { createConsoleApp } from '../src/http/console/app.ts';
import type { HttpDeps } from '../src/http/deps.ts';
import { startTestGateway, type TestGateway } from './helpers/gateway.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const API_PREFIX = '/api/v1';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

interface Operation {
  operationId?: string;
  parameters?: Array<{ $ref?: string; name?: string; in?: string }>;
  'x-passerelle-planned'?: boolean;
  [key: string]: unknown;
}
type PathItem = Partial<Record<(typeof METHODS)[number], Operation>> & { parameters?: Operation['parameters'] };
interface Document {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, PathItem>;
  components: Record<string, Record<string, unknown>>;
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  rawPath?: unknown;
  handle?: { stack?: Layer[] };
}

/** `METHOD /path/{param}` for every route of a router, mounted paths included. */
function routesOf(stack: Layer[], prefix = ''): string[] {
  const out: string[] = [];
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const p of paths) for (const method of Object.keys(layer.route.methods)) if (method !== '_all') out.push(`${method.toUpperCase()} ${(prefix + p).replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
    } else if (layer.handle?.stack) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      out.push(...routesOf(layer.handle.stack, prefix + mount));
    }
  }
  return out;
}

function stackOf(router: unknown): Layer[] {
  const r = router as { stack?: Layer[]; router?: { stack: Layer[] } };
  return r.stack ?? r.router?.stack ?? [];
}

const doc = parse(readFileSync(path.join(ROOT, 'docs/openapi.yaml'), 'utf8')) as Document;

function documented(filter: (op: Operation) => boolean): string[] {
  return Object.entries(doc.paths).flatMap(([p, item]) => METHODS.filter((m) => item[m] && filter(item[m])).map((m) => `${m.toUpperCase()} ${API_PREFIX}${p}`));
}

describe('docs/openapi.yaml', () => {
  it('is OpenAPI 3.1 with unique operationIds, resolvable $refs and declared path parameters', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBeTruthy();
    const ids = Object.values(doc.paths).flatMap((item) => METHODS.map((m) => item[m]?.operationId).filter(Boolean));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(documented(() => true).length);

    const refs: string[] = [];
    (function collect(node: unknown): void {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === '$ref' && typeof value === 'string') refs.push(value);
          else collect(value);
        }
      }
    })(doc);
    expect(refs.length).toBeGreaterThan(50);
    for (const ref of refs) {
      expect(ref, ref).toMatch(/^#\/components\//);
      const target = ref
        .slice(2)
        .split('/')
        .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
      expect(target, `${ref} resolves`).toBeDefined();
    }

    const resolve = (p: { $ref?: string; name?: string; in?: string }) => (p.$ref ? (doc.components.parameters![p.$ref.split('/').pop()!] as { name: string; in: string }) : (p as { name: string; in: string }));
    for (const [p, item] of Object.entries(doc.paths)) {
      const names = [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        const declared = [...(item.parameters ?? []), ...(op.parameters ?? [])].map(resolve).filter((x) => x.in === 'path').map((x) => x.name);
        expect(new Set(declared), `${method.toUpperCase()} ${p}`).toEqual(new Set(names));
      }
    }
  });
});

describe('the admin API as served', () => {
  let gw: TestGateway;
  let deps: HttpDeps;
  let served: Set<string>;
  const routers = new Map<string, string[]>();

  beforeAll(async () => {
    gw = await startTestGateway();
    deps = { runtime: gw.runtime, sessions: gw.sessions, sessionSecret: 'openapi-test', signingKey: gw.signingKey };
    served = new Set(routesOf(stackOf(createConsoleApp(deps))).filter((r) => r.split(' ')[1]!.startsWith(`${API_PREFIX}/`)));
    // Every area's router file, mounted or not yet: `<area>Api(deps)` from src/http/console/api-*.ts.
    for (const file of readdirSync(path.join(ROOT, 'src/http/console')).filter((f) => /^api-[a-z-]+\.ts$/.test(f))) {
      const module = (await import(pathToFileURL(path.join(ROOT, 'src/http/console', file)).href)) as Record<string, unknown>;
      for (const [name, factory] of Object.entries(module)) {
        if (!/Api$/.test(name) || typeof factory !== 'function') continue;
        routers.set(`${file}:${name}`, routesOf(stackOf((factory as (d: HttpDeps) => Router)(deps)), API_PREFIX));
      }
    }
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('finds the routers', () => {
    expect(served.has(`GET ${API_PREFIX}/registrations`)).toBe(true);
    expect(routers.get('api-registry.ts:registryApi')).toContain(`POST ${API_PREFIX}/certificates/{serial}/revoke`);
  });

  it('every route is documented', () => {
    const all = new Set([...served, ...[...routers.values()].flat()]);
    const doc_ = new Set(documented(() => true));
    expect([...all].filter((r) => !doc_.has(r)).sort()).toEqual([]);
  });

  it('every documented operation is served, and none marked planned is', () => {
    const all = new Set([...served, ...[...routers.values()].flat()]);
    const missing = documented((op) => op['x-passerelle-planned'] !== true).filter((r) => !all.has(r));
    expect(missing, 'documented but not served').toEqual([]);
    const early = documented((op) => op['x-passerelle-planned'] === true).filter((r) => all.has(r));
    expect(early, 'served: remove x-passerelle-planned from these operations').toEqual([]);
  });

  it('every area router is mounted on the console host', () => {
    const unmounted = [...routers.entries()].flatMap(([name, routes]) => routes.filter((r) => !served.has(r)).map((r) => `${name} ${r}`));
    expect(unmounted, 'mount these routers in src/http/console/api.ts').toEqual([]);
  });
});
