/** Opens many live sessions on one Passerelle instance (a full sign-in each: form, argon2id, first GET), in parallel lanes, timed. */
import { signIn, type PasserelleTarget } from './passerelle.ts';

export interface Opened {
  sessions: number;
  lanes: number;
  seconds: number;
}

export async function openSessions(target: PasserelleTarget, count: number, lanes: number, progress?: (done: number) => void): Promise<Opened> {
  const t0 = performance.now();
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < count) {
      next += 1;
      await signIn(target);
      done += 1;
      if (progress && done % 1000 === 0) progress(done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, count) }, lane));
  return { sessions: count, lanes, seconds: (performance.now() - t0) / 1000 };
}
