import type * as SentryNamespace from '@sentry/node';
import type { Request } from 'express';
import type { ServiceError } from '../errors/service-error.js';
import { scrubEvent } from './scrub-event.js';

/** Options of {@link initObservability}. */
export interface ObservabilityOptions {
  /** Sentry DSN; without one nothing is initialised and every method is a cheap no-op. */
  readonly dsn: string | undefined;
  /** Service name: the release is `<service>@<version>`. */
  readonly service: string;
  /** Release version of the service. */
  readonly version: string;
  /** Sentry environment (`local`, `staging`, `production`). */
  readonly environment: string;
  /** Share of transactions traced, 0 to 1; tracing is off when unset. @default undefined */
  readonly tracesSampleRate?: number;
}

/** Tags and ids attached to one reported error. */
export interface ErrorReportContext {
  readonly requestId?: string;
  readonly correlationId?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/** Error reporting for one process. */
export interface Observability {
  /** Whether Sentry is on (a DSN was given). */
  readonly enabled: boolean;
  /** Reports an error with the request id (and any tags) as tags. */
  captureException(error: unknown, context?: ErrorReportContext): void;
  /** The error handler's `onServerError` listener: reports every 5xx with its request id. */
  readonly onServerError: (error: ServiceError, req: Request, requestId: string) => void;
  /** Sends what is queued; resolves false if `timeoutMs` ran out first. @default timeoutMs 2000 */
  flush(timeoutMs?: number): Promise<boolean>;
}

// The lifecycle owns fatal errors (log, report, flush, exit 1); Sentry's own handlers would
// report them a second time and, for uncaught exceptions, race it to process.exit.
const LIFECYCLE_OWNED = new Set(['OnUncaughtException', 'OnUnhandledRejection']);

const disabled: Observability = Object.freeze({
  enabled: false,
  captureException() {},
  onServerError() {},
  flush: () => Promise.resolve(true),
});

type SentryModule = typeof SentryNamespace;

function enabledWith(Sentry: SentryModule): Observability {
  function report(error: unknown, context: ErrorReportContext = {}): void {
    Sentry.withScope((scope) => {
      if (context.requestId !== undefined) scope.setTag('request_id', context.requestId);
      if (context.correlationId !== undefined) scope.setTag('correlation_id', context.correlationId);
      if (context.tags !== undefined) scope.setTags({ ...context.tags });
      Sentry.captureException(error);
    });
  }
  return Object.freeze({
    enabled: true,
    captureException: report,
    onServerError(error: ServiceError, _req: Request, requestId: string) {
      // The cause is the real exception (with its stack); the ServiceError is only its rendering.
      report(error.cause ?? error, { requestId, tags: { error_code: error.code } });
    },
    flush: (timeoutMs = 2000) => Sentry.flush(timeoutMs),
  });
}

// @sentry/node costs about half a second to import: only services that report errors pay it.
async function loadSentry(): Promise<SentryModule> {
  try {
    return await import('@sentry/node');
  } catch (error) {
    throw new Error(
      'SENTRY_DSN is set but @sentry/node is not installed: add it to the service (npm install @sentry/node@11)',
      { cause: error },
    );
  }
}

/**
 * Initialises Sentry when a DSN is given: call it first, before the app (and ideally express)
 * is built, so Sentry's instrumentation sees the modules load. `@sentry/node` (an optional peer
 * dependency) is imported only then, so services without a DSN never load it. Idempotent: a second call (for
 * example after a `--import` preload already ran it) returns the live handle without
 * re-initialising. No personal data is collected (`dataCollection` off), and every event is scrubbed of headers, cookies,
 * bodies and query strings.
 *
 * @example
 * const observability = await initObservability({
 *   dsn: config.SENTRY_DSN, service: config.SERVICE_NAME, version: config.SERVICE_VERSION, environment: config.ENVIRONMENT,
 * });
 * const app = createServiceApp({ config, logger, observability, routes });
 */
export async function initObservability(options: ObservabilityOptions): Promise<Observability> {
  if (options.dsn === undefined || options.dsn === '') return disabled;
  const Sentry = await loadSentry();
  if (Sentry.isInitialized()) return enabledWith(Sentry);
  Sentry.init({
    dsn: options.dsn,
    release: `${options.service}@${options.version}`,
    environment: options.environment,
    // Sentry 11 replaced `sendDefaultPii` with per-category switches that default to collecting
    // everything; turn off each category that could carry personal data or secrets.
    dataCollection: {
      userInfo: false,
      cookies: false,
      httpHeaders: false,
      httpBodies: [],
      urlQueryParams: false,
      databaseQueryData: false,
      queues: false,
      stackFrameVariables: false,
      graphQL: { document: true, variables: false },
      genAI: { inputs: false, outputs: false },
      mcp: { inputs: false, outputs: false },
    },
    ...(options.tracesSampleRate === undefined ? {} : { tracesSampleRate: options.tracesSampleRate }),
    integrations: (defaults) => defaults.filter((integration) => !LIFECYCLE_OWNED.has(integration.name)),
    beforeSend: scrubEvent,
  });
  return enabledWith(Sentry);
}
