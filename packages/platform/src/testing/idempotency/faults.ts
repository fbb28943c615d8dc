import { setFaultHook, type IdempotencyFaultPoint } from '../../idempotency/faults.js';

/**
 * Makes a keyed request fail at one of its steps, in this process, for tests of what a crash
 * leaves behind: `hook` runs at `point` (kill the process there with
 * `process.kill(process.pid, 'SIGKILL')`, or throw); `undefined` clears it. Only the testing
 * entry point reaches it: production code never sets a hook, and a point without one costs a
 * map lookup.
 *
 * @example
 * // a fixture that starts the service, dying between the handler's write and its record
 * setIdempotencyFault('handled', () => process.kill(process.pid, 'SIGKILL'));
 * await import('../../dist/main.js');
 */
export function setIdempotencyFault(point: IdempotencyFaultPoint, hook: (() => void) | undefined): void {
  setFaultHook(point, hook);
}
