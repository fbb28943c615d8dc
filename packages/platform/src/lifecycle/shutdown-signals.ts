/** What one delivery of a shutdown signal asks the lifecycle to do. @internal */
export type SignalAction = 'start' | 'repeat' | 'force';

/** Options of {@link shutdownSignalPolicy}. @internal */
export interface ShutdownSignalPolicyOptions {
  /**
   * A SIGINT this long after the first signal forces the exit; earlier ones are copies of the
   * first. @default 1000
   */
  readonly forceAfterMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * Tells a deliberate second interrupt from the same signal delivered twice. A process-group kill
 * (systemd's default KillMode, a terminal's Ctrl-C) reaches the service and every wrapper around
 * it (npm, pnpm, the workspace script), and the wrappers forward what they got: the service sees
 * two or three copies within milliseconds. Those must not cut the drain short. Only a SIGINT that
 * comes a while after the first signal (a second Ctrl-C, after the notice the lifecycle logs)
 * forces the exit; a repeated SIGTERM never does: the shutdown timeout bounds the drain, and
 * supervisors that give up send SIGKILL.
 * @internal
 */
export function shutdownSignalPolicy(
  options: ShutdownSignalPolicyOptions = {},
): (signal: NodeJS.Signals) => SignalAction {
  const forceAfterMs = options.forceAfterMs ?? 1000;
  const now = options.now ?? Date.now;
  let firstAt: number | undefined;
  return function classifySignal(signal) {
    if (firstAt === undefined) {
      firstAt = now();
      return 'start';
    }
    return signal === 'SIGINT' && now() - firstAt >= forceAfterMs ? 'force' : 'repeat';
  };
}
