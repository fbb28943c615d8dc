import { expect } from 'chai';
import { loadConfig } from '../../src/index.js';
import { resolveLifecycleSettings } from '../../src/lifecycle/settings.js';

describe('resolveLifecycleSettings', () => {
  it("falls back on the configuration's own defaults, as loadConfig gives them in local mode (HOST 127.0.0.1)", () => {
    const config = loadConfig({ env: {}, envFile: false });
    const settings = resolveLifecycleSettings({});
    expect(config.ENVIRONMENT).to.equal('local');
    expect(settings).to.include({
      host: '127.0.0.1',
      port: config.PORT,
      shutdownDelayMs: config.SHUTDOWN_DELAY_MS,
      drainTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
      hookTimeoutMs: config.SHUTDOWN_HOOK_TIMEOUT_MS,
      keepAliveTimeoutMs: config.KEEP_ALIVE_TIMEOUT_MS,
      readinessTimeoutMs: config.READINESS_TIMEOUT_MS,
      maxEventLoopDelayMs: config.OVERLOAD_MAX_EVENT_LOOP_DELAY_MS,
      requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    });
    expect(settings.host).to.equal(config.HOST);
  });

  it('takes what the config gives, and treats a field given as undefined as left out', () => {
    const production = loadConfig({
      env: {
        ENVIRONMENT: 'production',
        CLERK_JWT_KEY: undefined,
        CLERK_SECRET_KEY: 'sk_live_x',
        CLERK_AUTHORIZED_PARTIES: 'https://app.example.com',
      },
      envFile: false,
    });
    const settings = resolveLifecycleSettings({
      config: { ...production, PORT: undefined },
      flushTimeoutMs: 500,
      signals: ['SIGTERM'],
      handleProcessEvents: false,
    });
    expect(settings).to.include({
      host: '0.0.0.0',
      shutdownDelayMs: 5000,
      port: 8000,
      flushTimeoutMs: 500,
      handleProcessEvents: false,
    });
    expect(settings.signals).to.deep.equal(['SIGTERM']);
    expect(Object.isFrozen(settings)).to.equal(true);
  });
});
