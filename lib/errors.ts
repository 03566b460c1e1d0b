// The one error type of the domain. Route handlers map the code to a status through
// HTTP_STATUS; the CLI prints the message.

export const ERROR_CODES = [
  'INVALID_INPUT',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'TOO_LARGE',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type TErrorCode = (typeof ERROR_CODES)[number];

export const HTTP_STATUS: Record<TErrorCode, number> = {
  INVALID_INPUT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  // A request body over the limit: 413, so a client knows resending it cannot work.
  TOO_LARGE: 413,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export class AppError extends Error {
  constructor(
    readonly code: TErrorCode,
    message: string,
    /** Structured detail for the caller: the fields a contract check failed, what changed since a stale version. */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
