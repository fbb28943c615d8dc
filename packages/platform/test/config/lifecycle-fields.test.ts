import { expect } from 'chai';
import { isConfigError, loadConfig } from '../../src/index.js';
import { CLERK_TEST_ENV } from '../helpers.js';

describe('platformConfigFields (lifecycle, health and metrics)', () => {
  it('defaults SHUTDOWN_DELAY_MS to 0 locally and to 5000 elsewhere', () => {
    expect(loadConfig({ env: {}, envFile: false }).SHUTDOWN_DELAY_MS).to.equal(0);
    expect(
      loadConfig({ env: { ENVIRONMENT: 'staging', ...CLERK_TEST_ENV }, envFile: false }).SHUTDOWN_DELAY_MS,
    ).to.equal(5000);
    expect(
      loadConfig({ env: { ENVIRONMENT: 'staging', SHUTDOWN_DELAY_MS: '1500', ...CLERK_TEST_ENV }, envFile: false })
        .SHUTDOWN_DELAY_MS,
    ).to.equal(1500);
  });

  it('has working defaults for the other timings and METRICS_ENABLED', () => {
    const config = loadConfig({ env: {}, envFile: false });
    expect(config).to.include({
      SHUTDOWN_TIMEOUT_MS: 10_000,
      SHUTDOWN_HOOK_TIMEOUT_MS: 5000,
      KEEP_ALIVE_TIMEOUT_MS: 65_000,
      READINESS_TIMEOUT_MS: 2000,
      METRICS_ENABLED: true,
    });
    expect(loadConfig({ env: { METRICS_ENABLED: 'off' }, envFile: false }).METRICS_ENABLED).to.equal(false);
  });

  it('rejects nonsense timings all at once', () => {
    let error: unknown;
    try {
      loadConfig({
        env: { SHUTDOWN_DELAY_MS: '-1', SHUTDOWN_TIMEOUT_MS: 'soon', READINESS_TIMEOUT_MS: '0' },
        envFile: false,
      });
    } catch (caught) {
      error = caught;
    }
    expect(isConfigError(error)).to.equal(true);
    const message = (error as Error).message;
    for (const name of ['SHUTDOWN_DELAY_MS', 'SHUTDOWN_TIMEOUT_MS', 'READINESS_TIMEOUT_MS'])
      expect(message).to.include(name);
  });
});
