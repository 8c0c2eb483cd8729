/**
 * Operational errors: they know nothing of HTTP beyond a status and a stable code. One
 * handler turns them into problem+json. Anything that is not an AppError is a bug and is
 * answered with a generic 500 that leaks nothing.
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: Record<string, unknown>, code = 'validation_failed') {
    super(400, code, message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Sign in or send an API key.') {
    super(401, 'unauthorized', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(403, code, message, details);
  }
}

/** Another user's resource is reported exactly like a missing one. */
export class NotFoundError extends AppError {
  constructor(resource: string) {
    super(404, `${resource}_not_found`, `No such ${resource.replaceAll('_', ' ')}.`);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string) {
    super(409, code, message);
  }
}

export class RateLimitedError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'rate_limited', `Too many requests; retry in ${retryAfterSeconds} s.`, { retryAfterSeconds });
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(code: string, message: string) {
    super(503, code, message);
  }
}
