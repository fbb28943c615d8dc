import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { createError } from '../errors/codes.js';
import { toErrorBody } from '../errors/error-body.js';
import { isServiceError, ServiceError } from '../errors/service-error.js';
import { errorCategory } from '../errors/categories.js';
import type { Logger } from '../logging/logger.js';
import { tryGetRequestContext } from '../context/request-context.js';
import { contextOf } from './request-context.js';

/** Called for every error answered with a 5xx, after it is logged (Sentry hooks in here). */
export type ServerErrorListener = (error: ServiceError, req: Request, requestId: string) => void;

/** Options of {@link errorHandler}. */
export interface ErrorHandlerOptions {
  readonly logger: Logger;
  /** Listeners told of every 5xx. @default [] */
  readonly onServerError?: readonly ServerErrorListener[];
}

/**
 * Turns anything thrown into a {@link ServiceError}: platform errors as they are; errors that
 * carry an HTTP status (http-errors, body-parser) keep their status with a generic message;
 * everything else becomes 500 `INTERNAL_ERROR`, its text kept for the log only.
 */
export function toServiceError(error: unknown): ServiceError {
  if (isServiceError(error)) return error;
  const status =
    (error as { status?: unknown; statusCode?: unknown } | null)?.status ??
    (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && Number.isInteger(status) && status >= 400 && status < 500) {
    const category = errorCategory(status);
    const message = status === 400 ? 'The request could not be understood.' : category.toLowerCase().replace(/_/g, ' ');
    return new ServiceError(status, message, category, undefined, { cause: error });
  }
  return createError('INTERNAL_ERROR', { cause: error });
}

/**
 * The one error handler: renders every error in the unified shape with the request id, logs
 * 5xx once with the cause and its stack (never sent to the client), and tells listeners.
 */
export function errorHandler(options: ErrorHandlerOptions): ErrorRequestHandler {
  const { logger } = options;
  const listeners = options.onServerError ?? [];
  return function platformErrorHandler(error: unknown, req: Request, res: Response, _next: NextFunction): void {
    const serviceError = toServiceError(error);
    // A handler that fails after its response has closed finds the context in its async scope.
    const requestId = (contextOf(res) ?? tryGetRequestContext())?.requestId ?? randomUUID();
    if (serviceError.status >= 500) {
      const cause = serviceError.cause ?? serviceError;
      logger.error(serviceError.code === 'INTERNAL_ERROR' ? 'unhandled_error' : 'request_failed', {
        request_id: requestId,
        code: serviceError.code,
        error: cause,
      });
      for (const listener of listeners) {
        try {
          listener(serviceError, req, requestId);
        } catch (listenerError) {
          logger.error('error_listener_failed', { error: listenerError });
        }
      }
    }
    if (res.headersSent) {
      // Part of a response is already out: the only honest signal left is to cut the connection.
      res.destroy();
      return;
    }
    res.status(serviceError.status);
    if (serviceError.headers !== undefined) res.set(serviceError.headers);
    res.json(toErrorBody(serviceError, requestId));
  };
}
