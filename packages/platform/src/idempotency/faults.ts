import { processWide } from '../context/process-wide.js';

/**
 * The moments of a keyed request at which a test may make the process fail: after the key was
 * claimed, after the handler ran (nothing recorded yet), after `record()` resolved (committed by
 * stores that write the record and its write in one statement), and once the store is done (the
 * answer not yet sent).
 */
export type IdempotencyFaultPoint = 'claimed' | 'handled' | 'recorded' | 'committed';

const hooks = processWide('idempotency-faults', () => new Map<IdempotencyFaultPoint, () => void>());

/**
 * Runs the fault hook of `point`, if a test set one (`setIdempotencyFault` of `@org/platform/testing`).
 * @internal
 */
export function reachFaultPoint(point: IdempotencyFaultPoint): void {
  const hook = hooks().get(point);
  if (hook !== undefined) hook();
}

/**
 * Sets (or with `undefined`, clears) the hook run at `point`.
 * @internal
 */
export function setFaultHook(point: IdempotencyFaultPoint, hook: (() => void) | undefined): void {
  if (hook === undefined) hooks().delete(point);
  else hooks().set(point, hook);
}
