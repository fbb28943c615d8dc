/**
 * The exit codes of every `org-platform` subcommand: 0 all is well, 1 a rule failed (a service
 * unreachable or behind, a check failed, the code does not compile), 2 bad usage.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** One of {@link EXIT}. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
