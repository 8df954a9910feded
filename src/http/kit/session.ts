import type { Request } from 'express';

/*
 * express-session's callback API as promises, for every surface (gateway, portal, console).
 * A fresh id at every change of privilege (sign-in, second factor, expiry) makes a planted
 * pre-login cookie worth nothing.
 */

export function regenerateSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((error) => (error ? reject(asError(error)) : resolve())));
}

export function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((error) => (error ? reject(asError(error)) : resolve())));
}

/** Ends this request's session in the store (the caller clears its cookie). */
export function destroyCurrentSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.destroy((error) => (error ? reject(asError(error)) : resolve())));
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
