// SQLSTATE classes and socket errors that mean "the database cannot be reached right now",
// as opposed to a query or data fault.
// connection exception, insufficient resources, shutdown / starting up, and 57014: a statement the
// server cancelled at statement_timeout (it could not answer in time).
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0|57014)/;
const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);
const UNAVAILABLE_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /cannot use a pool after calling end/i,
  /client has encountered a connection error/i,
  /pglite is closed/i,
];

/**
 * Whether a SQL client error means the database is unreachable (503 DATABASE_UNAVAILABLE)
 * rather than a failed statement (500).
 *
 * @example
 * if (isSqlUnavailableError(error)) throw createError('DATABASE_UNAVAILABLE', { cause: error });
 */
export function isSqlUnavailableError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, errors } = error as { code?: unknown; message?: unknown; errors?: unknown };
  if (
    typeof code === 'string' &&
    (UNAVAILABLE_NODE_CODES.has(code) || (code.length === 5 && UNAVAILABLE_SQLSTATE.test(code)))
  )
    return true;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return true;
  // Node reports a refused dual-stack connect as an AggregateError of per-address errors.
  return Array.isArray(errors) && errors.some(isSqlUnavailableError);
}
