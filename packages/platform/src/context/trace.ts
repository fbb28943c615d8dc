import { randomFillSync } from 'node:crypto';
import type { TraceContext } from './request-context.js';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

// Ids come from a pool of random bytes refilled 4 kB at a time: one getrandom call per 512
// span ids instead of one per id (it showed in profiles of the HTTP client).
const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let offset = POOL_SIZE;

function randomHex(bytes: number): string {
  if (offset + bytes > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}

/** A new random span id (8 bytes, hex). */
export function newSpanId(): string {
  return randomHex(8);
}

// This request's span id is made when first read: most requests call no other service and never
// need one.
class Trace implements TraceContext {
  #spanId: string | undefined;

  constructor(
    readonly traceId: string,
    readonly parentSpanId: string | undefined,
    readonly flags: string,
  ) {}

  get spanId(): string {
    return (this.#spanId ??= newSpanId());
  }
}

/**
 * Continues the caller's W3C trace when its `traceparent` is valid, else starts a new one.
 * Either way this request gets a span id of its own.
 */
export function traceFromHeader(header: string | undefined): TraceContext {
  const match = header === undefined ? null : TRACEPARENT.exec(header.trim());
  if (match !== null && match[1] !== ZERO_TRACE && match[2] !== ZERO_SPAN)
    return new Trace(match[1]!, match[2], match[3]!);
  return new Trace(randomHex(16), undefined, '01');
}

/** The `traceparent` value for an outgoing call made as a child of `trace`. */
export function childTraceparent(trace: TraceContext): string {
  return `00-${trace.traceId}-${newSpanId()}-${trace.flags}`;
}
