import type { IncomingHttpHeaders } from 'node:http';

/** What every call resolves with: the upstream's answer (2xx, 3xx or 4xx). */
export interface HttpResponse<T = unknown> {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /**
   * Parsed JSON when the upstream sent a JSON content type, the text otherwise, `undefined`
   * when empty. Not validated: the type parameter is the caller's claim; validate what matters.
   */
  readonly body: T;
  /** Attempts it took (1 when the first one succeeded). */
  readonly attempts: number;
}

/** Thrown when a response says JSON and is not. @internal */
export class InvalidUpstreamBodyError extends Error {
  override readonly name = 'InvalidUpstreamBodyError';
  readonly code = 'EBADBODY';
}

/** Thrown when a response body is larger than `maxResponseBytes`. @internal */
export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';
  readonly code = 'ERESPONSETOOLARGE';
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;
// An upstream sends the same content type on most answers: the last one is judged once.
let lastType: string | undefined;
let lastIsJson = false;
function isJsonType(contentType: string): boolean {
  if (contentType !== lastType) {
    lastIsJson = JSON_TYPE.test(contentType.trim());
    lastType = contentType;
  }
  return lastIsJson;
}

/**
 * Decodes a response body by its content type. @internal
 */
export function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  if (contentType === undefined || !isJsonType(contentType)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // No cause: JSON.parse's message quotes the body, and the body may hold anything.
    throw new InvalidUpstreamBodyError('upstream sent a JSON content type with a body that does not parse');
  }
}
