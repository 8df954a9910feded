import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AuditEventInput } from '../model/index.ts';

/**
 * Prometheus metrics, served on the admin listener's /metrics (src/http/admin). One registry
 * per process; the hot path calls `observeRequest`, which caches its label children so a
 * request costs two map look-ups and two additions.
 */
export const registry = new Registry();
// Under `workers`, the primary's /metrics sums every worker's (prom-client asks each worker over IPC for this registry).
AggregatorRegistry.setRegistries([registry]);

const requests = new Counter({
  name: 'passerelle_http_requests_total',
  help: 'Requests answered, by surface (public, gateway, console, cps), application and status code.',
  labelNames: ['surface', 'app', 'status'] as const,
  registers: [registry],
});

const latency = new Histogram({
  name: 'passerelle_http_request_duration_seconds',
  help: 'Time from the request reaching Passerelle to the last byte of the answer, by surface and application.',
  labelNames: ['surface', 'app'] as const,
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

const logins = new Counter({
  name: 'passerelle_logins_total',
  help: 'Password logins by where (portal, gateway) and outcome (success, failure), from the audit trail.',
  labelNames: ['where', 'outcome'] as const,
  registers: [registry],
});

const lockouts = new Counter({
  name: 'passerelle_lockouts_total',
  help: 'Accounts locked after too many failed attempts, from the audit trail.',
  registers: [registry],
});

const revocations = new Counter({
  name: 'passerelle_revocations_total',
  help: 'Revocations by kind (certificate, grant, token), from the audit trail.',
  labelNames: ['kind'] as const,
  registers: [registry],
});

const eventChannel = new Gauge({
  name: 'passerelle_event_channel_up',
  help: '1 when the invalidation channel between workers and replicas is connected, 0 when it is not.',
  registers: [registry],
});

const draining = new Gauge({
  name: 'passerelle_draining',
  help: '1 from the stop signal on: the process finishes what is in flight and accepts nothing new.',
  registers: [registry],
});

/** Sources read at each scrape (set by the composition root); a failing source reports nothing. */
export interface MetricSources {
  outbox?: () => Promise<{ pending: number; failed: number }>;
  sessions?: () => Promise<number | null>;
}
let sources: MetricSources = {};

new Gauge({
  name: 'passerelle_outbox_messages',
  help: 'Mail outbox messages waiting to be sent (pending) and given up after every attempt (failed).',
  labelNames: ['status'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    if (!sources.outbox) return;
    try {
      const { pending, failed } = await sources.outbox();
      this.set({ status: 'pending' }, pending);
      this.set({ status: 'failed' }, failed);
    } catch {
      // Database down: /readyz says so; the scrape still answers.
    }
  },
});

new Gauge({
  name: 'passerelle_sessions',
  help: 'Live sessions in this process (in-process store only; absent with Redis).',
  registers: [registry],
  async collect() {
    this.reset();
    try {
      const count = await sources.sessions?.();
      if (typeof count === 'number') this.set(count);
    } catch {
      // absent rather than wrong
    }
  },
});

let defaultsOn = false;
/** Process metrics (CPU, memory, event loop lag, GC) once per process. */
export function collectProcessMetrics(): void {
  if (defaultsOn) return;
  defaultsOn = true;
  collectDefaultMetrics({ register: registry });
}

export function setMetricSources(next: MetricSources): void {
  sources = next;
}

type Child = { inc(): void };
type Timer = { observe(value: number): void };
const requestChildren = new Map<string, Child>();
const latencyChildren = new Map<string, Timer>();

/** One answered request. `app` is an application id or '-'; cheap enough for the proxy's hot path. */
export function observeRequest(surface: string, app: string, status: number, seconds: number): void {
  const key = `${surface}\u0000${app}`;
  const countKey = `${key}\u0000${status}`;
  let counter = requestChildren.get(countKey);
  if (!counter) {
    counter = requests.labels(surface, app, String(status));
    requestChildren.set(countKey, counter);
  }
  let timer = latencyChildren.get(key);
  if (!timer) {
    timer = latency.labels(surface, app);
    latencyChildren.set(key, timer);
  }
  counter.inc();
  timer.observe(seconds);
}

/** The event channel's state (the lead's `events` channel calls this when it connects or drops). */
export function setEventChannelState(up: boolean): void {
  eventChannel.set(up ? 1 : 0);
}

export function setDraining(value: boolean): void {
  draining.set(value ? 1 : 0);
}

const REVOCATIONS: Record<string, string> = { 'certificate.revoke': 'certificate', 'grant.revoke': 'grant', 'token.revoke': 'token' };

/** An audit listener (Auditor.onRecord): logins, lockouts and revocations are counted where they are audited. */
export function countAuditEvent(event: AuditEventInput): void {
  if (event.action === 'portal.login' || event.action === 'gateway.login') {
    if (event.outcome !== 'info') logins.labels(event.action === 'portal.login' ? 'portal' : 'gateway', event.outcome).inc();
  } else if (event.action === 'user.lockout') {
    lockouts.inc();
  } else if (event.outcome === 'success' && REVOCATIONS[event.action]) {
    revocations.labels(REVOCATIONS[event.action]!).inc();
  }
}

/** The text exposition for /metrics. */
export function metricsText(): Promise<string> {
  return registry.metrics();
}

export const METRICS_CONTENT_TYPE = registry.contentType;

const aggregator = new AggregatorRegistry();
/** The cluster primary's view: every worker's metrics, counters summed (process metrics per worker). */
export function clusterMetricsText(): Promise<string> {
  return aggregator.clusterMetrics();
}
