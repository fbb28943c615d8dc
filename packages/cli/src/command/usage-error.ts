/** Bad usage (an unknown flag, a missing argument, a malformed value): the command exits 2 with its usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Recognises a {@link UsageError}, and the TypeErrors `node:util` `parseArgs` throws for unknown
 * or malformed options (their `code` starts with `ERR_PARSE_ARGS_`).
 *
 * @example
 * if (isUsageError(error)) return usage(error.message);
 */
export function isUsageError(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return error.name === 'UsageError' || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_'));
}
