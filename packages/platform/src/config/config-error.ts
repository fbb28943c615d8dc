/** One invalid or missing variable. */
export interface ConfigProblem {
  readonly variable: string;
  readonly message: string;
}

/**
 * Thrown by `loadConfig` when the environment is wrong: every problem at once, each naming its
 * variable, never a secret's value. `name` is `ConfigError`.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    const lines = problems.map((p) => `  - ${p.variable}: ${p.message}`);
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
    );
    this.problems = problems;
  }
}

/** Whether a value is a {@link ConfigError} (by name, so copies of the platform agree). */
export function isConfigError(value: unknown): value is ConfigError {
  return value instanceof Error && value.name === 'ConfigError' && Array.isArray((value as ConfigError).problems);
}
