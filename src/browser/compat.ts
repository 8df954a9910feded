import type { CheckName } from './dom.ts';

/** Step 2: can this browser make the key, and save the file? */
export function checkBrowser(): Record<CheckName, boolean> {
  const subtle = globalThis.crypto?.subtle;
  const anchor = document.createElement('a');
  return {
    secure: globalThis.isSecureContext === true,
    webcrypto: typeof subtle?.generateKey === 'function' && typeof subtle.exportKey === 'function' && typeof globalThis.crypto.getRandomValues === 'function',
    download: 'download' in anchor && typeof Blob === 'function' && typeof URL.createObjectURL === 'function',
  };
}

export type Platform = 'firefox' | 'windows' | 'mac' | 'linux';

/** Which installation instructions to open first. */
export function detectPlatform(userAgent: string): Platform | null {
  if (/Firefox\//.test(userAgent)) return 'firefox';
  if (/Windows/.test(userAgent)) return 'windows';
  if (/Macintosh|Mac OS X/.test(userAgent)) return 'mac';
  if (/Linux|CrOS/.test(userAgent)) return 'linux';
  return null;
}
