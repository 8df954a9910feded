/**
 * The withdrawal in progress, kept in this browser's IndexedDB from the moment the CSR is about to go
 * out until the .p12 has been saved: the key pair (CryptoKey objects, stored as is — extractable, since
 * the browser must put the private key into the .p12), the CSR sent and, once received, the certificate.
 * A closed tab or a crashed browser can then resume: the same CSR with the same code, within the
 * server's retry window, brings back the same certificate; nothing is spent twice.
 */
import type { IssuedCertificate } from './api.ts';

export interface PendingWithdrawal {
  identifier: string;
  publicKey: CryptoKey;
  privateKey: CryptoKey;
  csrPem: string;
  /** When the CSR was (about to be) sent: the server's retry window counts from about then. */
  sentAt: number;
  issued: IssuedCertificate | null;
}

const DB = 'passerelle-withdrawal';
const STORE = 'pending';
const KEY = 'current';
/** A certificate already received needs no server any more; still, a private key does not linger for ever. */
const KEEP_ISSUED_MS = 7 * 86_400_000;

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('indexedDB'));
  });
}

async function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error ?? new Error('indexedDB'));
      tx.onabort = () => reject(tx.error ?? new Error('indexedDB'));
    });
  } finally {
    db.close();
  }
}

/** Until when a pending withdrawal can be resumed (ms since the epoch). */
export function resumableUntil(pending: PendingWithdrawal, retryWindowMs: number): number {
  return pending.sentAt + (pending.issued ? KEEP_ISSUED_MS : retryWindowMs);
}

/** The live pending withdrawal of this browser, or null (an outdated one is deleted). Never throws. */
export async function loadPending(retryWindowMs: number, now = Date.now()): Promise<PendingWithdrawal | null> {
  try {
    const pending = await run<PendingWithdrawal | undefined>('readonly', (store) => store.get(KEY) as IDBRequest<PendingWithdrawal | undefined>);
    if (!pending) return null;
    if (resumableUntil(pending, retryWindowMs) < now) {
      await clearPending();
      return null;
    }
    return pending;
  } catch {
    return null;
  }
}

export async function savePending(pending: PendingWithdrawal): Promise<void> {
  await run('readwrite', (store) => store.put(pending, KEY));
}

/** Forgets the key pair: the .p12 is saved (or the person starts over). Never throws. */
export async function clearPending(): Promise<void> {
  await run('readwrite', (store) => store.delete(KEY)).catch(() => undefined);
}
