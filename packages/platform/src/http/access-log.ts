import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { flatLinesOf, type LogLevel, type Logger } from '../logging/logger.js';
import { processWide } from '../context/process-wide.js';
import { contextOf } from './request-context.js';
import { onResponseClosed } from './response-closed.js';

/** Options of {@link accessLog}. */
export interface AccessLogOptions {
  readonly logger: Logger;
  /** Paths logged at debug (probes would otherwise flood the log). @default ['/healthz', '/readyz', '/metrics'] */
  readonly quietPaths?: readonly string[];
}

// A route that knows its status is expected (readiness at 503 while starting) says so here.
const levelOverrides = processWide('access-log-levels', () => new WeakMap<Response, LogLevel>());

/**
 * Sets the level of this response's access-log line, for a status that is not the problem its
 * class suggests (`/readyz` answering 503 while the service starts or stops).
 * @internal
 */
export function setAccessLogLevel(res: Response, level: LogLevel): void {
  levelOverrides().set(res, level);
}

function levelFor(status: number, quiet: boolean): LogLevel {
  if (status >= 500) return 'error';
  if (status >= 400) return 'warn';
  return quiet ? 'debug' : 'info';
}

/**
 * One `request_completed` line per request when the response is finished (or
 * `request_aborted` when the client went away first): method, path without query string,
 * status_code, duration_ms, user_id when known. Never headers or bodies.
 */
export function accessLog(options: AccessLogOptions): RequestHandler {
  const quietPaths = new Set(options.quietPaths ?? ['/healthz', '/readyz', '/metrics']);
  const { logger } = options;
  // One line per request: the log's hottest path.
  const write = flatLinesOf(logger);
  return function accessLogMiddleware(_req: Request, res: Response, next: NextFunction): void {
    const start = process.hrtime.bigint();
    const done = (event: 'request_completed' | 'request_aborted'): void => {
      const context = contextOf(res);
      const path = context?.path ?? '';
      const status = res.statusCode;
      const level = event === 'request_aborted' ? 'warn' : (levelOverrides().get(res) ?? levelFor(status, quietPaths.has(path)));
      if (!logger.isLevelEnabled(level)) return;
      const durationMs = Math.round(Number(process.hrtime.bigint() - start) / 10_000) / 100;
      write(level, event, {
        request_id: context?.requestId,
        correlation_id: context?.correlationId,
        trace_id: context?.trace.traceId,
        method: context?.method,
        path,
        status_code: status,
        duration_ms: durationMs,
        user_id: context?.userId,
      });
    };
    // 'close' follows 'finish' on every response, and comes alone when the client hung up first.
    onResponseClosed(res, function logRequest() {
      done(res.writableFinished ? 'request_completed' : 'request_aborted');
    });
    next();
  };
}
