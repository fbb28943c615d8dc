import { expect } from 'chai';
import { DEFAULT_RETRY, parseRetryAfter, retryDelay } from '../../src/public/client.js';
import { mayRetry, resolveRetryOptions } from '../../src/client/retry.js';

describe('retryDelay', () => {
  const none = { ...DEFAULT_RETRY, jitter: 'none' as const };

  it('doubles from the 0.5 s base and caps at maxDelayMs', () => {
    const delays = [1, 2, 3].map((retry) => retryDelay({ retry, options: { ...none, limit: 10 } }));
    expect(delays).to.deep.equal([500, 1000, 2000]);
    expect(retryDelay({ retry: 10, options: { ...none, limit: 10 } })).to.equal(10_000);
  });

  it('draws full jitter in [0, step] and equal jitter in [step/2, step]', () => {
    expect(retryDelay({ retry: 2, options: DEFAULT_RETRY, random: () => 0 })).to.equal(0);
    expect(retryDelay({ retry: 2, options: DEFAULT_RETRY, random: () => 0.999 })).to.equal(999);
    const equal = { ...DEFAULT_RETRY, jitter: 'equal' as const };
    expect(retryDelay({ retry: 2, options: equal, random: () => 0 })).to.equal(500);
    expect(retryDelay({ retry: 2, options: equal, random: () => 0.999 })).to.equal(999);
  });

  it('stops when the retry limit is reached', () => {
    expect(retryDelay({ retry: 3, options: none })).to.equal(2000);
    expect(retryDelay({ retry: 4, options: none })).to.equal(undefined);
    expect(retryDelay({ retry: 1, options: { ...none, limit: 0 } })).to.equal(undefined);
  });

  it('waits what Retry-After says instead of the backoff', () => {
    expect(retryDelay({ retry: 1, options: none, retryAfter: '3' })).to.equal(3000);
    const now = Date.parse('2026-11-26T12:00:00Z');
    expect(retryDelay({ retry: 1, options: none, retryAfter: 'Thu, 26 Nov 2026 12:00:05 GMT', now })).to.equal(5000);
  });

  it('stops when Retry-After is longer than maxRetryAfterMs', () => {
    expect(retryDelay({ retry: 1, options: none, retryAfter: '31' })).to.equal(undefined);
    expect(retryDelay({ retry: 1, options: { ...none, maxRetryAfterMs: 60_000 }, retryAfter: '31' })).to.equal(31_000);
  });

  it('falls back to the backoff when Retry-After is unreadable', () => {
    expect(retryDelay({ retry: 1, options: none, retryAfter: 'soon' })).to.equal(500);
    expect(retryDelay({ retry: 1, options: none, retryAfter: '-1' })).to.equal(500);
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates, and treats a past date as 0', () => {
    const now = Date.parse('2026-11-26T12:00:00Z');
    expect(parseRetryAfter('0', now)).to.equal(0);
    expect(parseRetryAfter(' 120 ', now)).to.equal(120_000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 11:00:00 GMT', now)).to.equal(0);
    expect(parseRetryAfter(undefined, now)).to.equal(undefined);
    expect(parseRetryAfter('2026-11-26', now)).to.equal(undefined);
  });
});

describe('resolveRetryOptions', () => {
  it('fills defaults, turns false into no retries and rejects nonsense', () => {
    expect(resolveRetryOptions(undefined)).to.deep.equal(DEFAULT_RETRY);
    expect(resolveRetryOptions(false).limit).to.equal(0);
    expect(() => resolveRetryOptions({ limit: -1 })).to.throw(TypeError, /retry.limit/);
    expect(() => resolveRetryOptions({ baseDelayMs: 0.5 })).to.throw(TypeError, /retry.baseDelayMs/);
    expect(() => resolveRetryOptions({ jitter: 'some' as 'full' })).to.throw(TypeError, /jitter/);
  });
});

describe('mayRetry', () => {
  it('retries idempotent methods only, unless the call opts in or out', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'] as const)
      expect(mayRetry(method, DEFAULT_RETRY, undefined)).to.equal(true);
    expect(mayRetry('POST', DEFAULT_RETRY, undefined)).to.equal(false);
    expect(mayRetry('PATCH', DEFAULT_RETRY, undefined)).to.equal(false);
    expect(mayRetry('POST', DEFAULT_RETRY, true)).to.equal(true);
    expect(mayRetry('GET', DEFAULT_RETRY, false)).to.equal(false);
  });
});
