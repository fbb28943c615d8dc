/**
 * A database call ran out of time: the server did not answer within the client-side deadline.
 * Its `code` is `ETIMEDOUT`, so it counts as "unavailable" (503 `DATABASE_UNAVAILABLE`).
 */
export class DatabaseDeadlineError extends Error {
  override readonly name = 'DatabaseDeadlineError';
  readonly code = 'ETIMEDOUT';

  constructor(timeoutMs: number) {
    super(`the database did not answer within ${timeoutMs} ms`);
  }
}

/**
 * Runs `work` with a deadline: the result is `work`'s, or a {@link DatabaseDeadlineError} once
 * `timeoutMs` passed. `work` is handed the deadline as a promise that rejects then, to race its
 * own steps against (and clean up what the deadline cut short).
 *
 * @example
 * const rows = await withDeadline(5000, (deadline) => Promise.race([client.query('select 1'), deadline]));
 */
export async function withDeadline<T>(timeoutMs: number, work: (deadline: Promise<never>) => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DatabaseDeadlineError(timeoutMs)), timeoutMs);
  });
  // Nobody may be racing it any more when it fires (work finished first and the timer was cleared).
  deadline.catch(() => undefined);
  try {
    return await Promise.race([work(deadline), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
