import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configWarnings, env, loadConfig, platformConfigFields } from '../../src/index.js';
import { describeConfig, renderConfigTable, renderEnvExample } from '../../src/public/config.js';
import { sharedKeyPair } from '../auth/fixtures.js';
import { configErrorOf as problemsOf } from '../helpers.js';

describe('loadConfig: secrets from files (NAME_FILE)', () => {
  let dir: string;
  // Written into files only: a test fails if any of these appears in an error.
  const SECRET_KEY = 'sk_live_filesecret_5f2b9c';
  const DSN = 'https://0123456789abcdef@o1.ingest.sentry.io/42';
  const fields = { PAYMENTS_API_KEY: env.string({ description: 'A service-declared secret.', secret: true }) };
  const file = (name: string, content: string): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'config-files-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reads each of the platform's secrets from a file, one trailing newline trimmed", () => {
    const config = loadConfig({
      env: {
        ENVIRONMENT: 'production',
        CLERK_SECRET_KEY_FILE: file('clerk', `${SECRET_KEY}\n`),
        SENTRY_DSN_FILE: file('dsn', DSN),
        CLERK_AUTHORIZED_PARTIES: 'https://app.example.com',
      },
      envFile: false,
    });
    expect(config.CLERK_SECRET_KEY).to.equal(SECRET_KEY);
    expect(config.SENTRY_DSN).to.equal(DSN);
  });

  it('reads the PEM key (CLERK_JWT_KEY_FILE), multi-line, as Kubernetes and Docker deliver it', () => {
    const keys = sharedKeyPair('primary');
    const config = loadConfig({
      env: { ENVIRONMENT: 'staging', CLERK_JWT_KEY_FILE: file('jwt.pem', keys.publicKeyPem) },
      envFile: false,
    });
    expect(config.CLERK_JWT_KEY).to.equal(keys.publicKeyPem);
  });

  it("reads a service's own secret from a file, trimming exactly one newline (LF or CRLF) and nothing else", () => {
    const load = (content: string) =>
      loadConfig({ fields, env: { PAYMENTS_API_KEY_FILE: file('key', content) }, envFile: false }).PAYMENTS_API_KEY;
    expect(load('abc\n')).to.equal('abc');
    expect(load('abc\r\n')).to.equal('abc');
    expect(load('abc')).to.equal('abc');
    expect(load('abc\n\n')).to.equal('abc\n');
    expect(load(' two words ')).to.equal(' two words ');
  });

  it('follows a symlink (Kubernetes mounts secret keys as links into ..data/)', () => {
    mkdirSync(join(dir, '..data'));
    writeFileSync(join(dir, '..data', 'PAYMENTS_API_KEY'), 'from-a-link\n');
    symlinkSync(join('..data', 'PAYMENTS_API_KEY'), join(dir, 'PAYMENTS_API_KEY'));
    expect(
      loadConfig({ fields, env: { PAYMENTS_API_KEY_FILE: join(dir, 'PAYMENTS_API_KEY') }, envFile: false })
        .PAYMENTS_API_KEY,
    ).to.equal('from-a-link');
  });

  it('reads NAME_FILE from the .env file too, and treats an empty NAME_FILE as unset', () => {
    const envFile = file('.env', `PAYMENTS_API_KEY_FILE=${file('key', 'from-dotenv-file')}\n`);
    expect(loadConfig({ fields, env: {}, envFile }).PAYMENTS_API_KEY).to.equal('from-dotenv-file');
    expect(
      loadConfig({ fields, env: { PAYMENTS_API_KEY_FILE: '', PAYMENTS_API_KEY: 'direct' }, envFile: false })
        .PAYMENTS_API_KEY,
    ).to.equal('direct');
  });

  it('takes no _FILE for a variable that is not a secret', () => {
    const config = loadConfig({
      env: { PORT_FILE: file('port', '9000'), SERVICE_NAME_FILE: file('name', 'from-file') },
      envFile: false,
    });
    expect(config).to.include({ PORT: 8000, SERVICE_NAME: 'my-service' });
  });

  it('refuses NAME and NAME_FILE both set, naming the variable and the path, never the value', () => {
    const path = file('clerk', SECRET_KEY);
    const error = problemsOf(() =>
      loadConfig({ env: { CLERK_SECRET_KEY: 'sk_live_direct_value_77', CLERK_SECRET_KEY_FILE: path }, envFile: false }),
    );
    expect(error.problems).to.deep.equal([
      {
        variable: 'CLERK_SECRET_KEY',
        message: `is set both directly and as CLERK_SECRET_KEY_FILE="${path}"; set only one`,
      },
    ]);
    expect(error.message).not.to.contain(SECRET_KEY).and.not.to.contain('sk_live_direct_value_77');
  });

  it('refuses a missing file, a folder, a device and an empty file, naming NAME_FILE and the path', () => {
    const missing = join(dir, 'nope');
    const empty = file('empty', '\n');
    const error = problemsOf(() =>
      loadConfig({
        fields: {
          ...fields,
          OTHER_SECRET: env.string({ description: 'x', secret: true }),
          THIRD_SECRET: env.string({ description: 'x', secret: true }),
        },
        env: {
          CLERK_SECRET_KEY_FILE: missing,
          SENTRY_DSN_FILE: dir,
          PAYMENTS_API_KEY_FILE: '/dev/null',
          OTHER_SECRET_FILE: empty,
        },
        envFile: false,
      }),
    );
    expect(error.problems).to.deep.equal([
      { variable: 'SENTRY_DSN_FILE', message: `cannot read "${dir}": it is a folder` },
      { variable: 'CLERK_SECRET_KEY_FILE', message: `cannot read "${missing}": no such file` },
      { variable: 'PAYMENTS_API_KEY_FILE', message: 'cannot read "/dev/null": not a regular file' },
      { variable: 'OTHER_SECRET_FILE', message: `"${empty}" is empty (it must hold the value of OTHER_SECRET)` },
    ]);
  });

  it('refuses a file over 64 KiB without reading it whole', () => {
    const big = file('big', 'x'.repeat(64 * 1024 + 1));
    expect(
      problemsOf(() => loadConfig({ fields, env: { PAYMENTS_API_KEY_FILE: big }, envFile: false })).problems,
    ).to.deep.equal([{ variable: 'PAYMENTS_API_KEY_FILE', message: `"${big}" is larger than 64 KiB` }]);
    expect(
      loadConfig({ fields, env: { PAYMENTS_API_KEY_FILE: file('max', 'y'.repeat(64 * 1024)) }, envFile: false })
        .PAYMENTS_API_KEY,
    ).to.have.length(64 * 1024);
  });

  it("reports an invalid value read from a file with the file's name, never its content", () => {
    const path = file('dsn', 'not-a-url-but-a-secret-4711\n');
    const error = problemsOf(() => loadConfig({ env: { SENTRY_DSN_FILE: path }, envFile: false }));
    expect(error.problems).to.have.length(1);
    expect(error.problems[0]!.variable).to.equal('SENTRY_DSN');
    expect(error.problems[0]!.message).to.contain(`(value read from SENTRY_DSN_FILE="${path}")`);
    expect(error.message).not.to.contain('4711');
    // A non-secret read from a file is not quoted either.
    const pem = file('bad.pem', 'not a pem key, but private-ish 0815');
    const pemError = problemsOf(() => loadConfig({ env: { CLERK_JWT_KEY_FILE: pem }, envFile: false }));
    expect(pemError.problems[0]!.message).to.contain(`CLERK_JWT_KEY_FILE="${pem}"`);
    expect(pemError.message).not.to.contain('0815');
  });

  it('refuses a placeholder read from a file outside local, naming the file', () => {
    const path = file('key', 'changeme\n');
    const error = problemsOf(() =>
      loadConfig({
        fields,
        env: { ENVIRONMENT: 'staging', CLERK_SECRET_KEY: 'sk_test_x', PAYMENTS_API_KEY_FILE: path },
        envFile: false,
      }),
    );
    expect(error.problems).to.deep.equal([
      {
        variable: 'PAYMENTS_API_KEY',
        message: `holds a placeholder value, which is not allowed in staging (value read from PAYMENTS_API_KEY_FILE="${path}")`,
      },
    ]);
    expect(configWarnings(loadConfig({ fields, env: { PAYMENTS_API_KEY_FILE: path }, envFile: false }))).to.deep.equal([
      'PAYMENTS_API_KEY holds a placeholder value; replace it before deploying',
    ]);
  });

  it('reports file problems together with every other problem, once each', () => {
    const error = problemsOf(() =>
      loadConfig({
        env: { ENVIRONMENT: 'production', PORT: 'abc', CLERK_JWT_KEY_FILE: join(dir, 'missing.pem') },
        envFile: false,
      }),
    );
    expect(error.problems.map((p) => p.variable)).to.have.members([
      'PORT',
      'CLERK_JWT_KEY_FILE',
      'CLERK_AUTHORIZED_PARTIES',
    ]);
  });

  it('documents which variables accept a file, in the table and in .env.example', () => {
    const described = Object.fromEntries(
      describeConfig({ ...platformConfigFields, ...fields }).map((f) => [f.name, f.fileVariable]),
    );
    expect(Object.entries(described).filter(([, v]) => v !== undefined)).to.deep.equal([
      ['SENTRY_DSN', 'SENTRY_DSN_FILE'],
      ['CLERK_JWT_KEY', 'CLERK_JWT_KEY_FILE'],
      ['CLERK_SECRET_KEY', 'CLERK_SECRET_KEY_FILE'],
      ['PAYMENTS_API_KEY', 'PAYMENTS_API_KEY_FILE'],
    ]);
    expect(renderConfigTable(fields)).to.contain(
      '| `PAYMENTS_API_KEY` | (unset) | A service-declared secret. (secret: never logged; or from a file: `PAYMENTS_API_KEY_FILE`) | no |',
    );
    expect(renderEnvExample(fields)).to.contain(
      '# A service-declared secret. (default: (unset); secret; or set PAYMENTS_API_KEY_FILE to a file holding it)\nPAYMENTS_API_KEY=',
    );
  });
});
