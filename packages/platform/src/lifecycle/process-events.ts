import type { Logger } from '../logging/logger.js';
import { shutdownSignalPolicy } from './shutdown-signals.js';

/** A fatal process event: what the lifecycle logs it as. @internal */
export type FatalKind = 'uncaught_exception' | 'unhandled_rejection';

/** What the process's events ask of the lifecycle. @internal */
export interface ProcessEventHandlers {
  /** The first shutdown signal. */
  shutdown(signal: NodeJS.Signals): void;
  /** A deliberate second interrupt: exit 1 now. */
  force(): void;
  /** An uncaught exception or unhandled rejection. */
  fatal(kind: FatalKind, error: unknown): void;
}

/** The lifecycle's listeners on the process, attached by `start()` and detached once at exit. @internal */
export interface ProcessEvents {
  attach(): void;
  detach(): void;
}

/**
 * Listens to the process for the lifecycle: the shutdown signals (a copy of the first signal, as
 * wrappers and process-group kills deliver it, is logged and changes nothing; a second SIGINT a
 * second or more later forces the exit), `uncaughtException` and `unhandledRejection`. With
 * `enabled: false` it listens to nothing.
 * @internal
 */
export function createProcessEvents(
  { signals, enabled, logger }: { signals: readonly NodeJS.Signals[]; enabled: boolean; logger: Logger },
  handlers: ProcessEventHandlers,
): ProcessEvents {
  const classifySignal = shutdownSignalPolicy();

  function onSignal(signal: NodeJS.Signals): void {
    const action = classifySignal(signal);
    if (action === 'force') {
      logger.warn('shutdown_forced', { signal });
      handlers.force();
    } else if (action === 'repeat') {
      logger.info('shutdown_signal_repeated', {
        signal,
        note: 'the shutdown already in progress goes on; a second SIGINT (Ctrl-C) a second or more after the first forces exit',
      });
    } else {
      handlers.shutdown(signal);
    }
  }
  const onUncaught = (error: unknown): void => handlers.fatal('uncaught_exception', error);
  const onUnhandled = (error: unknown): void => handlers.fatal('unhandled_rejection', error);

  return {
    attach() {
      if (!enabled) return;
      for (const signal of signals) process.on(signal, onSignal);
      process.on('uncaughtException', onUncaught);
      process.on('unhandledRejection', onUnhandled);
    },
    detach() {
      if (!enabled) return;
      for (const signal of signals) process.off(signal, onSignal);
      process.off('uncaughtException', onUncaught);
      process.off('unhandledRejection', onUnhandled);
    },
  };
}
