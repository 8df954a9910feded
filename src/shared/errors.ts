/**
 * Typed errors carrying an HTTP status and a stable code. `expose` follows node-oidc-provider:
 * only client errors (< 500) show their message; server errors show a generic one.
 */
export class PasserelleError extends Error {
  readonly expose: boolean;
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
    this.expose = status < 500;
  }
}

export class BadRequestError extends PasserelleError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(400, code, message, details);
  }
}

export class NotFoundError extends PasserelleError {
  constructor(code: string, message: string) {
    super(404, code, message);
  }
}

export class ConflictError extends PasserelleError {
  constructor(code: string, message: string) {
    super(409, code, message);
  }
}

export class ForbiddenError extends PasserelleError {
  constructor(code: string, message: string) {
    super(403, code, message);
  }
}

export class UnavailableError extends PasserelleError {
  constructor(code: string, message: string) {
    super(503, code, message);
  }
}
