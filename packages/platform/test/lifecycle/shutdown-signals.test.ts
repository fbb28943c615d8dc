import { expect } from 'chai';
import { shutdownSignalPolicy } from '../../src/lifecycle/shutdown-signals.js';

describe('shutdownSignalPolicy', () => {
  it('starts the shutdown on the first signal and takes copies delivered at once for copies', () => {
    let now = 0;
    const classify = shutdownSignalPolicy({ now: () => now });
    expect(classify('SIGTERM')).to.equal('start');
    now = 5;
    expect(classify('SIGTERM')).to.equal('repeat');
    expect(classify('SIGINT')).to.equal('repeat');
  });

  it('forces the exit only on a SIGINT at least forceAfterMs after the first signal', () => {
    let now = 0;
    const classify = shutdownSignalPolicy({ now: () => now, forceAfterMs: 1000 });
    expect(classify('SIGINT')).to.equal('start');
    now = 999;
    expect(classify('SIGINT')).to.equal('repeat');
    now = 1000;
    expect(classify('SIGINT')).to.equal('force');
  });

  it('never forces on a repeated SIGTERM: the shutdown timeout bounds the drain', () => {
    let now = 0;
    const classify = shutdownSignalPolicy({ now: () => now });
    classify('SIGTERM');
    now = 60_000;
    expect(classify('SIGTERM')).to.equal('repeat');
  });
});
