import type { ErrorEvent } from '@sentry/node';

/**
 * Removes what must never leave the process: request headers (Authorization, API keys),
 * cookies, bodies and query strings (tokens travel there too). The URL keeps only its path.
 * Used as Sentry's `beforeSend`, so it runs on every event whatever integration made it.
 * @internal
 */
export function scrubEvent(event: ErrorEvent): ErrorEvent {
  const request = event.request;
  if (request !== undefined) {
    delete request.headers;
    delete request.cookies;
    delete request.data;
    delete request.query_string;
    if (typeof request.url === 'string') request.url = request.url.replace(/[?#].*$/s, '');
  }
  if (event.user !== undefined) {
    // Keep the id (support needs it); drop IP and anything else an integration may have added.
    event.user = event.user.id === undefined ? {} : { id: event.user.id };
  }
  return event;
}
