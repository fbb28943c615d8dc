import { expect } from 'chai';
import { CircuitState } from 'cockatiel';
import { createWindowBreaker } from '../../src/client/window-breaker.js';

describe('createWindowBreaker', () => {
  it('opens after five failures within a minute', () => {
    let now = 0;
    const breaker = createWindowBreaker({ now: () => now });
    const opened = [1, 2, 3, 4, 5].map(() => {
      now += 10_000;
      return breaker.failure(CircuitState.Closed);
    });
    expect(opened).to.deep.equal([false, false, false, false, true]);
  });

  it('stays closed when the failures are spread over more than a minute', () => {
    let now = 0;
    const breaker = createWindowBreaker({ now: () => now });
    const opened = [1, 2, 3, 4, 5, 6, 7].map(() => {
      now += 15_000;
      return breaker.failure(CircuitState.Closed);
    });
    expect(opened).to.deep.equal([false, false, false, false, false, false, false]);
  });

  it('keeps counting failures across successes, and starts afresh after a successful trial', () => {
    const breaker = createWindowBreaker({ threshold: 3, now: () => 0 });
    breaker.failure(CircuitState.Closed);
    breaker.success(CircuitState.Closed);
    breaker.failure(CircuitState.Closed);
    expect(breaker.failure(CircuitState.Closed)).to.equal(true);
    breaker.success(CircuitState.HalfOpen);
    expect(breaker.failure(CircuitState.Closed)).to.equal(false);
    expect(breaker.failure(CircuitState.HalfOpen)).to.equal(true);
  });

  it('round-trips its state for cockatiel serialisation', () => {
    const breaker = createWindowBreaker({ now: () => 7 });
    breaker.failure(CircuitState.Closed);
    const copy = createWindowBreaker();
    copy.state = breaker.state;
    expect(copy.state).to.deep.equal([7]);
    copy.state = 'garbage';
    expect(copy.state).to.deep.equal([]);
  });
});
