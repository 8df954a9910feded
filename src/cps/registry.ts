import type { CpsTrust } from './trust.ts';

/**
 * The CPS trust of the listeners serving a given storage. `resolveCertificate(presented,
 * storage, clock)` is called from several places (gateway pipeline, WebSocket upgrades,
 * admin API); keying the trust by the runtime's storage lets all of them see CPS cards
 * without threading a new argument through each. startListeners registers it.
 */
const trusts = new WeakMap<object, CpsTrust>();

export function registerCpsTrust(storage: object, trust: CpsTrust): void {
  trusts.set(storage, trust);
}

export function unregisterCpsTrust(storage: object, trust: CpsTrust): void {
  if (trusts.get(storage) === trust) trusts.delete(storage);
}

export function cpsTrustFor(storage: object): CpsTrust | null {
  return trusts.get(storage) ?? null;
}
