import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { createError } from '../errors/codes.js';
import { toErrorBody } from '../errors/error-body.js';
import type { Logger } from '../logging/logger.js';

/**
 * Answers what Node's HTTP parser refuses before Express ever sees a request (headers or URL too
 * large, a body that did not arrive within the request timeout, malformed HTTP) in the unified
 * shape with an `X-Request-ID`, instead of Node's bare status line. Attach it to the server's
 * `clientError` event; the lifecycle does.
 *
 * @example
 * server.on('clientError', clientErrorHandler(logger));
 */
export function clientErrorHandler(logger: Logger): (error: Error & { code?: string }, socket: Duplex) => void {
  return function onClientError(error, socket) {
    // Nothing to answer on a socket that is gone or already half-answered.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const serviceError =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? createError('HEADERS_TOO_LARGE')
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? createError('REQUEST_TIMEOUT')
          : createError('BAD_REQUEST', { message: 'The request is not valid HTTP.' });
    const requestId = randomUUID();
    logger.warn('client_error', { request_id: requestId, code: serviceError.code, parser_error: error.code });
    const body = JSON.stringify(toErrorBody(serviceError, requestId));
    socket.end(
      `HTTP/1.1 ${serviceError.status} ${serviceError.category.replace(/_/g, ' ')}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-ID: ${requestId}\r\n` +
        'X-Content-Type-Options: nosniff\r\n' +
        'Cache-Control: no-store\r\n' +
        'Connection: close\r\n\r\n' +
        body,
    );
  };
}
