import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { preparedLinesOf, type JsonNumber, type LogLevel, type Logger } from '../logging/logger.js';
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

/**
 * A duration in ms as JSON writes it rounded to hundredths (`String(Math.round(ms * 100) / 100)`:
 * `12`, `12.5`, `0.07`), from integers: formatting a double costs three times as much.
 * @internal
 */
export function durationText(ms: number): JsonNumber {
  const hundredths = Math.round(ms * 100);
  const whole = Math.floor(hundredths / 100);
  const part = hundredths - whole * 100;
  const text =
    part === 0 ? `${whole}` : part % 10 === 0 ? `${whole}.${part / 10}` : `${whole}.${part < 10 ? '0' : ''}${part}`;
  return { value: hundredths / 100, json: text };
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
  // One line per request, the log's hottest path: its fixed part is rendered once, here.
  const keys = ['request_id', 'correlation_id', 'trace_id', 'method', 'path', 'status_code', 'duration_ms', 'user_id'];
  // The ids the pipeline made (a UUID, hex digits) and the method (Node's parser accepts only
  // token characters there) need no escaping; the path, the correlation id and the user id do.
  const plain = { plain: ['request_id', 'trace_id', 'method'] };
  const completed = preparedLinesOf(logger, 'request_completed', keys, plain);
  const aborted = preparedLinesOf(logger, 'request_aborted', keys, plain);
  const overrides = levelOverrides();
  return function accessLogMiddleware(_req: Request, res: Response, next: NextFunction): void {
    const start = performance.now();
    // 'close' follows 'finish' on every response, and comes alone when the client hung up first.
    onResponseClosed(res, function logRequest() {
      const finished = res.writableFinished;
      const context = contextOf(res);
      const path = context?.path ?? '';
      const status = res.statusCode;
      const level = finished ? (overrides.get(res) ?? levelFor(status, quietPaths.has(path))) : 'warn';
      if (!logger.isLevelEnabled(level)) return;
      (finished ? completed : aborted)(level, [
        context?.requestId,
        context?.correlationId,
        context?.trace.traceId,
        context?.method,
        path,
        status,
        durationText(performance.now() - start),
        context?.userId,
      ]);
    });
    next();
  };
}
