import { before, describe, it } from 'mocha';
import { expect } from 'chai';
import { validateCompose, interpolate } from '../src/compose.mjs';
import { checkServiceStack, checkGatewayStack, checkProductionStack } from '../src/stack-rules.mjs';
import { serviceConfigVariables } from '../src/service-config.mjs';
import { readRepo, mutate, tempFiles, root } from './helpers.mjs';

const GATEWAY_ENV = { ACME_EMAIL: 'ops@example.com' };

function run(files, options = {}) {
  const t = tempFiles(files);
  try {
    return validateCompose({ files: Object.values(t.paths), ...options });
  } finally {
    t.cleanup();
  }
}

describe('validateCompose', () => {
  it('accepts the repository compose files, alone and with the gateway', () => {
    expect(run({ 'compose.yml': readRepo('compose.yml') }).errors).to.deep.equal([]);
    const gw = run(
      { 'compose.yml': readRepo('compose.yml'), 'compose.gateway.yml': readRepo('compose.gateway.yml') },
      { env: GATEWAY_ENV },
    );
    expect(gw.errors).to.deep.equal([]);
    expect(Object.keys(gw.merged.services)).to.have.members([
      'entities-service',
      'orders-service',
      'socket-proxy',
      'traefik',
    ]);
  });

  it('reports a misspelled key against the compose-spec schema', () => {
    const { errors } = run({
      'compose.yml': mutate(readRepo('compose.yml'), '    healthcheck:\n', '    helthcheck:\n'),
    });
    expect(errors.join('\n')).to.match(/additional properties.*helthcheck/);
  });

  it('reports a required variable that is missing', () => {
    const { errors } = run({
      'compose.yml': readRepo('compose.yml'),
      'compose.gateway.yml': readRepo('compose.gateway.yml'),
    });
    expect(errors.join('\n')).to.match(/required variable ACME_EMAIL is missing/);
  });

  it('starts the postgres service only with its profile', () => {
    expect(run({ 'compose.yml': readRepo('compose.yml') }).merged.services).not.to.have.property('postgres');
    expect(
      run({ 'compose.yml': readRepo('compose.yml') }, { profiles: ['postgres'] }).merged.services,
    ).to.have.property('postgres');
  });

  it('reports depends_on a profile-disabled service and an undefined network', () => {
    const broken = mutate(
      readRepo('compose.yml'),
      '    restart: unless-stopped\n    env_file:',
      '    restart: unless-stopped\n    depends_on: [postgres]\n    networks: [backend]\n    env_file:',
    );
    const errors = run({ 'compose.yml': broken }).errors.join('\n');
    expect(errors).to.match(/depends_on unknown or profile-disabled service "postgres"/);
    expect(errors).to.match(/undefined network "backend"/);
  });
});

describe('interpolate', () => {
  it('applies defaults, alternatives and $$ like compose', () => {
    const errors = [];
    expect(interpolate('${A:-x} ${B-y} ${C:+z} $$D ${E}', { B: '', C: 'c', E: 'e' }, 'f', errors)).to.equal(
      'x  z $D e',
    );
    expect(errors).to.deep.equal([]);
  });
});

describe('checkServiceStack', () => {
  it('reports a port published on every interface and a curl healthcheck', () => {
    let text = mutate(readRepo('compose.yml'), '"127.0.0.1:${ENTITIES_PORT:-8000}:8000"', '"8000:8000"');
    text = mutate(text, '["CMD", "node", "-e",', '["CMD", "curl", "-f", "http://127.0.0.1:8000/healthz", "-e",');
    const errors = checkServiceStack(run({ 'compose.yml': text }).merged).join('\n');
    expect(errors).to.match(/port 8000:8000 must be bound to 127\.0\.0\.1/);
    expect(errors).to.match(/must not need curl/);
  });

  it('reports a local stack that does not say ENVIRONMENT=local (the image defaults to production)', () => {
    const text = mutate(readRepo('compose.yml'), '      ENVIRONMENT: ${ENVIRONMENT:-local}\n', '');
    expect(checkServiceStack(run({ 'compose.yml': text }).merged)).to.deep.equal([
      'entities-service: ENVIRONMENT must default to local in the local stack (the image defaults to production), got ""',
    ]);
  });

  it('checks the orders service by the same rules, against its own Dockerfile', () => {
    const orders = { service: 'orders-service', dockerfile: 'examples/orders-service/Dockerfile' };
    expect(checkServiceStack(run({ 'compose.yml': readRepo('compose.yml') }).merged, orders)).to.deep.equal([]);
    const text = mutate(readRepo('compose.yml'), '"127.0.0.1:${ORDERS_PORT:-8001}:8001"', '"8001:8001"');
    expect(checkServiceStack(run({ 'compose.yml': text }).merged, orders).join('\n')).to.match(
      /orders-service: port 8001:8001 must be bound to 127\.0\.0\.1/,
    );
  });

  it('reports a stop grace period shorter than the shutdown sequence', () => {
    const text = mutate(readRepo('compose.yml'), 'stop_grace_period: 30s', 'stop_grace_period: 10s');
    expect(checkServiceStack(run({ 'compose.yml': text }).merged).join('\n')).to.match(
      /stop_grace_period 10s < SHUTDOWN_DELAY_MS/,
    );
  });
});

describe('checkGatewayStack', () => {
  const gateway = (text) =>
    checkGatewayStack(
      run({ 'compose.yml': readRepo('compose.yml'), 'compose.gateway.yml': text }, { env: GATEWAY_ENV }).merged,
    ).join('\n');

  it('accepts the repository gateway', () => {
    expect(gateway(readRepo('compose.gateway.yml'))).to.equal('');
  });

  it('reports the raw Docker socket mounted into Traefik', () => {
    const text = mutate(
      readRepo('compose.gateway.yml'),
      '    volumes:\n      - letsencrypt:/letsencrypt\n',
      '    volumes:\n      - letsencrypt:/letsencrypt\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n',
    );
    expect(gateway(text)).to.match(/mounts the raw Docker socket/);
  });

  it('reports a router without the rate limit, a missing route and a missing HTTPS redirect', () => {
    let text = mutate(
      readRepo('compose.gateway.yml'),
      '      traefik.http.routers.entities.middlewares: entities-ratelimit\n',
      '',
    );
    text = mutate(text, ' || Path(`/version`)', '');
    text = mutate(text, '      - --entrypoints.web.http.redirections.entrypoint.scheme=https\n', '');
    const errors = gateway(text);
    expect(errors).to.match(/no rate-limit middleware attached/);
    expect(errors).to.match(/does not route Path\(`\/version`\)/);
    expect(errors).to.match(/HTTP must redirect to HTTPS/);
  });

  it('reports a second routed service without its rate limit or TLS, or exposing /docs', () => {
    let text = mutate(
      readRepo('compose.gateway.yml'),
      '      traefik.http.routers.orders.middlewares: orders-ratelimit\n',
      '',
    );
    text = mutate(text, '      traefik.http.routers.orders.tls.certresolver: le\n', '');
    text = mutate(text, 'PathPrefix(`/api/v1/orders`)', 'PathPrefix(`/api/v1/orders`) || PathPrefix(`/docs`)');
    const errors = gateway(text);
    expect(errors).to.match(/router orders: no rate-limit middleware attached/);
    expect(errors).to.match(/router orders: no TLS/);
    expect(errors).to.match(/router orders: \/metrics and \/docs stay private/);
  });

  it('reports a Traefik older than 3.6, or without a version', () => {
    for (const image of ['traefik:v3.5', 'traefik:v2.11', 'traefik:latest'])
      expect(
        gateway(mutate(readRepo('compose.gateway.yml'), 'image: traefik:v3.6', `image: ${image}`)),
        image,
      ).to.match(/is not Traefik v3\.6 or a later v3/);
  });

  it('reports a socket proxy that allows POST', () => {
    expect(gateway(mutate(readRepo('compose.gateway.yml'), 'POST: "0"', 'POST: "1"'))).to.match(/POST must be 0/);
  });
});

describe('checkProductionStack (compose.production.yml)', () => {
  let config;
  before(async () => {
    config = await serviceConfigVariables(root);
  });
  const production = (text) =>
    checkProductionStack(
      run(
        {
          'compose.yml': readRepo('compose.yml'),
          'compose.gateway.yml': readRepo('compose.gateway.yml'),
          'compose.production.yml': text,
        },
        { env: GATEWAY_ENV },
      ).merged,
      config,
    );

  it('accepts the repository file, valid against the schema with the two others', () => {
    const merged = run(
      {
        'compose.yml': readRepo('compose.yml'),
        'compose.gateway.yml': readRepo('compose.gateway.yml'),
        'compose.production.yml': readRepo('compose.production.yml'),
      },
      { env: GATEWAY_ENV },
    );
    expect(merged.errors).to.deep.equal([]);
    expect(merged.merged.services['entities-service'].environment).to.include({
      ENVIRONMENT: 'production',
      DATABASE_URL_FILE: '/run/secrets/database_url',
    });
    expect(production(readRepo('compose.production.yml'))).to.deep.equal([]);
  });

  it('reports a secret in the environment and a stack that is not production', () => {
    let text = mutate(
      readRepo('compose.production.yml'),
      '      DATABASE_URL: ""\n',
      '      DATABASE_URL: postgres://app:pw@db/app\n',
    );
    text = mutate(text, 'ENVIRONMENT: production', 'ENVIRONMENT: local');
    const errors = production(text).join('\n');
    expect(errors).to.match(/secret DATABASE_URL is set in the environment; give it as DATABASE_URL_FILE/);
    expect(errors).to.match(/ENVIRONMENT must be production, got "local"/);
  });

  it('reports a NAME_FILE the service does not read, one that points at no mounted secret, and a secret only root can read', () => {
    let text = mutate(
      readRepo('compose.production.yml'),
      'CLERK_JWT_KEY_FILE: /run/secrets/clerk_jwt_key',
      'CLERK_JWTKEY_FILE: /run/secrets/clerk_jwt_key',
    );
    text = mutate(text, 'DATABASE_URL_FILE: /run/secrets/database_url', 'DATABASE_URL_FILE: /run/secrets/db');
    text = mutate(
      text,
      '      - source: clerk_jwt_key\n        uid: "10001"\n        gid: "10001"\n',
      '      - source: clerk_jwt_key\n',
    );
    const errors = production(text).join('\n');
    expect(errors).to.match(/CLERK_JWTKEY_FILE is not a variable the service reads/);
    expect(errors).to.match(/DATABASE_URL_FILE=\/run\/secrets\/db is not a secret the service mounts/);
    expect(errors).to.match(/secret clerk_jwt_key must be readable by the image user/);
  });
});
