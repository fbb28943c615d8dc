import type { ProbeClient } from './client.js';
import type { ConformanceOptions, OperationalRoute } from './types.js';

/** What every check receives. @internal */
export interface CheckContext {
  readonly client: ProbeClient;
  readonly options: ConformanceOptions;
  readonly required: ReadonlySet<OperationalRoute>;
  /** Facts earlier checks learned (the environment `/version` reports). */
  readonly facts: { environment?: string };
}

/** A check's verdict: problems (none = pass), or a reason to skip. @internal */
export type CheckVerdict = { readonly problems: readonly string[] } | { readonly skip: string };

/** One conformance check. @internal */
export interface ConformanceCheck {
  readonly id: string;
  readonly title: string;
  run(ctx: CheckContext): Promise<CheckVerdict>;
}

/** A verdict from a list of problems. @internal */
export function verdict(problems: readonly string[]): CheckVerdict {
  return { problems };
}
