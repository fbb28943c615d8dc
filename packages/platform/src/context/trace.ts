import { randomBytes } from 'node:crypto';
import type { TraceContext } from './request-context.js';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/** A new random span id (8 bytes, hex). */
export function newSpanId(): string {
  return randomBytes(8).toString('hex');
}

/**
 * Continues the caller's W3C trace when its `traceparent` is valid, else starts a new one.
 * Either way this request gets a span id of its own.
 */
export function traceFromHeader(header: string | undefined): TraceContext {
  const match = header === undefined ? null : TRACEPARENT.exec(header.trim());
  if (match !== null && match[1] !== ZERO_TRACE && match[2] !== ZERO_SPAN) {
    return { traceId: match[1]!, parentSpanId: match[2]!, spanId: newSpanId(), flags: match[3]! };
  }
  return { traceId: randomBytes(16).toString('hex'), parentSpanId: undefined, spanId: newSpanId(), flags: '01' };
}

/** The `traceparent` value for an outgoing call made as a child of `trace`. */
export function childTraceparent(trace: TraceContext): string {
  return `00-${trace.traceId}-${newSpanId()}-${trace.flags}`;
}
