import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, configWarnings, env, loadConfig } from '../../src/index.js';
import { CLERK_TEST_ENV, configErrorOf as problemsOf } from '../helpers.js';

describe('loadConfig', () => {
  it('applies the documented defaults when nothing is set', () => {
    const config = loadConfig({ env: {}, envFile: false });
    expect(config).to.include({
      SERVICE_NAME: 'my-service',
      ENVIRONMENT: 'local',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'console',
      HOST: '127.0.0.1',
      PORT: 8000,
      BODY_LIMIT: '100kb',
      GIT_COMMIT: 'unknown',
      BUILD_TIME: 'unknown',
    });
    expect(config.CORS_ORIGINS).to.deep.equal([]);
    expect(config.SENTRY_DSN).to.equal(undefined);
  });

  it('binds to loopback locally and to every address elsewhere, unless HOST says otherwise', () => {
    expect(loadConfig({ env: {}, envFile: false }).HOST).to.equal('127.0.0.1');
    expect(loadConfig({ env: { ENVIRONMENT: 'staging', ...CLERK_TEST_ENV }, envFile: false }).HOST).to.equal('0.0.0.0');
    expect(loadConfig({ env: { ENVIRONMENT: 'production', ...CLERK_TEST_ENV }, envFile: false }).HOST).to.equal(
      '0.0.0.0',
    );
    expect(loadConfig({ env: { HOST: '0.0.0.0' }, envFile: false }).HOST).to.equal('0.0.0.0');
    expect(
      loadConfig({ env: { ENVIRONMENT: 'production', HOST: '127.0.0.1', ...CLERK_TEST_ENV }, envFile: false }).HOST,
    ).to.equal('127.0.0.1');
  });

  describe('start-up warnings (configWarnings)', () => {
    const beyondLoopback =
      /^local mode listens on (\S+), beyond this machine: its generated signing key, embedded store \(where the service has one\) and \/docs are reachable from the network/;

    it('warns once when local mode listens beyond loopback', () => {
      for (const host of ['0.0.0.0', '::', '192.168.1.20']) {
        const warnings = configWarnings(loadConfig({ env: { HOST: host }, envFile: false }));
        expect(warnings, host).to.have.length(1);
        expect(warnings[0]).to.match(beyondLoopback).and.contain(host);
      }
    });

    it('says nothing for loopback addresses, or outside local', () => {
      for (const host of ['127.0.0.1', '127.0.0.2', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) {
        expect(configWarnings(loadConfig({ env: { HOST: host }, envFile: false })), host).to.deep.equal([]);
      }
      expect(
        configWarnings(loadConfig({ env: { ENVIRONMENT: 'staging', ...CLERK_TEST_ENV }, envFile: false })),
      ).to.deep.equal([]);
    });

    it('warns in production when no token issuer is known, and only then', () => {
      const bare = configWarnings(
        loadConfig({ env: { ENVIRONMENT: 'production', ...CLERK_TEST_ENV }, envFile: false }),
      );
      expect(bare).to.deep.equal([
        'neither CLERK_ISSUER nor CLERK_PUBLISHABLE_KEY is set: the iss claim of session tokens is not checked, so tokens of another Clerk instance signed with the same key would be accepted',
      ]);
      expect(
        configWarnings(
          loadConfig({
            env: { ENVIRONMENT: 'production', CLERK_ISSUER: 'https://clerk.example.com', ...CLERK_TEST_ENV },
            envFile: false,
          }),
        ),
      ).to.deep.equal([]);
      expect(
        configWarnings(
          loadConfig({
            env: {
              ENVIRONMENT: 'production',
              CLERK_PUBLISHABLE_KEY: `pk_live_${Buffer.from('clerk.example.com$').toString('base64')}`,
              ...CLERK_TEST_ENV,
            },
            envFile: false,
          }),
        ),
      ).to.deep.equal([]);
      expect(
        configWarnings(loadConfig({ env: { ENVIRONMENT: 'staging', ...CLERK_TEST_ENV }, envFile: false })),
      ).to.deep.equal([]);
    });
  });

  it('coerces values and treats empty strings as unset', () => {
    const config = loadConfig({
      env: { PORT: '9001', ENVIRONMENT: 'Staging', LOG_LEVEL: 'DEBUG', SENTRY_DSN: '', ...CLERK_TEST_ENV },
      envFile: false,
    });
    expect(config.PORT).to.equal(9001);
    expect(config.ENVIRONMENT).to.equal('staging');
    expect(config.LOG_LEVEL).to.equal('debug');
    expect(config.LOG_FORMAT).to.equal('json');
    expect(config.SENTRY_DSN).to.equal(undefined);
  });

  it('parses lists given comma-separated or as a JSON array', () => {
    expect(
      loadConfig({ env: { CORS_ORIGINS: ' http://a.test, https://b.test:8443 ,' }, envFile: false }).CORS_ORIGINS,
    ).to.deep.equal(['http://a.test', 'https://b.test:8443']);
    expect(loadConfig({ env: { CORS_ORIGINS: '["http://a.test"]' }, envFile: false }).CORS_ORIGINS).to.deep.equal([
      'http://a.test',
    ]);
  });

  it('returns a deep-frozen object', () => {
    const config = loadConfig({ env: { CORS_ORIGINS: 'http://a.test' }, envFile: false });
    expect(Object.isFrozen(config)).to.equal(true);
    expect(Object.isFrozen(config.CORS_ORIGINS)).to.equal(true);
    expect(() => {
      (config as { PORT: number }).PORT = 1;
    }).to.throw(TypeError);
  });

  it('reads a .env file when present, and the environment wins over it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, '.env');
    writeFileSync(file, 'PORT=7000\nSERVICE_NAME=from-file\n# comment\nLOG_LEVEL=warn\n');
    const config = loadConfig({ env: { LOG_LEVEL: 'error' }, envFile: file });
    expect(config).to.include({ PORT: 7000, SERVICE_NAME: 'from-file', LOG_LEVEL: 'error' });
  });

  it('reports every problem at once, naming each variable', () => {
    const error = problemsOf(() =>
      loadConfig({
        env: { PORT: 'abc', ENVIRONMENT: 'prod', LOG_FORMAT: 'xml', CORS_ORIGINS: 'not an origin' },
        envFile: false,
      }),
    );
    expect(error.problems.map((p) => p.variable)).to.have.members([
      'PORT',
      'ENVIRONMENT',
      'LOG_FORMAT',
      'CORS_ORIGINS',
    ]);
    expect(error.message)
      .to.contain('PORT')
      .and.contain('ENVIRONMENT')
      .and.contain('LOG_FORMAT')
      .and.contain('(got "abc")');
  });

  it('refuses integers out of range', () => {
    const error = problemsOf(() => loadConfig({ env: { PORT: '70000' }, envFile: false }));
    expect(error.problems).to.have.length(1);
    expect(error.problems[0]!.message).to.match(/less than or equal to 65535/);
  });

  it('never prints the value of a secret, also for pattern rules whose messages quote values', () => {
    const fields = { SIGNING_SECRET: env.string({ description: 's', secret: true, pattern: /^sk_[a-z]+$/ }) };
    const patterned = problemsOf(() =>
      loadConfig({ fields, env: { SIGNING_SECRET: 'leaky-secret-123' }, envFile: false }),
    );
    expect(patterned.message).not.to.contain('leaky-secret-123');
    expect(patterned.problems).to.deep.equal([
      { variable: 'SIGNING_SECRET', message: 'does not have the expected format (value not shown: secret)' },
    ]);
  });

  it('never prints the value of a secret', () => {
    const error = problemsOf(() =>
      loadConfig({ env: { SENTRY_DSN: 'not-a-url-but-very-secret-value' }, envFile: false }),
    );
    expect(error.problems[0]!.variable).to.equal('SENTRY_DSN');
    expect(error.message).not.to.contain('very-secret-value');
  });

  describe('production guards', () => {
    it('refuses the wildcard CORS origin in production only', () => {
      expect(loadConfig({ env: { CORS_ORIGINS: '*' }, envFile: false }).CORS_ORIGINS).to.deep.equal(['*']);
      const error = problemsOf(() =>
        loadConfig({ env: { ENVIRONMENT: 'production', CORS_ORIGINS: '*', ...CLERK_TEST_ENV }, envFile: false }),
      );
      expect(error.problems).to.deep.equal([
        { variable: 'CORS_ORIGINS', message: 'the wildcard origin "*" is not allowed in production' },
      ]);
    });

    it('refuses placeholder secrets outside local and only warns locally', () => {
      const fields = { API_TOKEN: env.string({ description: 'token', secret: true }) };
      const local = loadConfig({ fields, env: { API_TOKEN: 'changethis' }, envFile: false });
      expect(configWarnings(local)).to.deep.equal(['API_TOKEN holds a placeholder value; replace it before deploying']);
      const error = problemsOf(() =>
        loadConfig({
          fields,
          env: { API_TOKEN: 'changethis', ENVIRONMENT: 'staging', ...CLERK_TEST_ENV },
          envFile: false,
        }),
      );
      expect(error.problems[0]).to.include({ variable: 'API_TOKEN' });
      expect(error.message).not.to.contain('changethis');
    });

    it('requires requiredInProduction fields in production', () => {
      const fields = { UPSTREAM_URL: env.url({ description: 'upstream', requiredInProduction: true }) };
      expect(loadConfig({ fields, env: {}, envFile: false }).UPSTREAM_URL).to.equal(undefined);
      const error = problemsOf(() =>
        loadConfig({ fields, env: { ENVIRONMENT: 'production', ...CLERK_TEST_ENV }, envFile: false }),
      );
      expect(error.problems).to.deep.equal([{ variable: 'UPSTREAM_URL', message: 'is required in production' }]);
    });
  });

  it('lets a service add its own typed fields and override platform defaults', () => {
    const config = loadConfig({
      fields: {
        BILLING_SERVICE_URL: env.url({ description: 'billing' }),
        PAGE_SIZE: env.integer({ description: 'page', default: 20, min: 1, max: 100 }),
        FEATURE_X: env.boolean({ description: 'x', default: false }),
      },
      env: { BILLING_SERVICE_URL: 'http://127.0.0.1:9000', FEATURE_X: 'yes' },
      envFile: false,
      defaults: { SERVICE_NAME: 'orders-service', SERVICE_VERSION: '2.3.4' },
    });
    const url: string | undefined = config.BILLING_SERVICE_URL;
    const size: number = config.PAGE_SIZE;
    expect({
      url,
      size,
      x: config.FEATURE_X,
      name: config.SERVICE_NAME,
      version: config.SERVICE_VERSION,
    }).to.deep.equal({
      url: 'http://127.0.0.1:9000',
      size: 20,
      x: true,
      name: 'orders-service',
      version: '2.3.4',
    });
  });

  describe('check: rules across variables', () => {
    const fields = {
      STORE_URL: env.url({ description: 'store', secret: true }),
      STORE_KEY: env.string({ description: 'key', secret: true }),
    };
    const check = (c: { STORE_URL?: string | undefined; STORE_KEY?: string | undefined; PORT?: number }) => [
      ...(c.STORE_URL !== undefined && c.STORE_KEY === undefined
        ? [{ variable: 'STORE_KEY', message: 'is required when STORE_URL is set' }]
        : []),
      ...(c.PORT === 1 ? [{ variable: 'PORT', message: 'must not be 1' }] : []),
    ];

    it('passes when the rules hold, and sees the coerced values', () => {
      expect(
        loadConfig({ fields, check, env: { STORE_URL: 'https://store.example', STORE_KEY: 'k' }, envFile: false }),
      ).to.include({ STORE_KEY: 'k' });
    });

    it('reports its problems in the same ConfigError as the fields’ problems', () => {
      const error = problemsOf(() =>
        loadConfig({ fields, check, env: { STORE_URL: 'https://store.example', LOG_LEVEL: 'loud' }, envFile: false }),
      );
      expect(error.problems.map((p) => p.variable)).to.deep.equal(['LOG_LEVEL', 'STORE_KEY']);
    });

    it('drops a problem for a variable that already has one', () => {
      const error = problemsOf(() =>
        loadConfig({
          fields,
          check: () => [{ variable: 'PORT', message: 'second opinion' }],
          env: { PORT: 'abc' },
          envFile: false,
        }),
      );
      expect(error.problems).to.have.length(1);
      expect(error.problems[0]!.message).not.to.contain('second opinion');
    });
  });

  it('is a ConfigError by name, so copies of the platform recognise it', () => {
    const error = problemsOf(() => loadConfig({ env: { PORT: '-1' }, envFile: false }));
    expect(error.name).to.equal('ConfigError');
    expect(error).to.be.instanceOf(ConfigError);
  });
});
