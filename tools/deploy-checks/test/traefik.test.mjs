import { describe, it } from 'mocha';
import { expect } from 'chai';
import { checkRule, checkTraefikLabels, entryPointsFromCommand } from '../src/traefik.mjs';

const service = (labels) => ({ services: { api: { image: 'x', labels: { 'traefik.enable': 'true', ...labels } } } });
const good = {
  'traefik.http.routers.api.rule': 'Host(`a.example`) && PathPrefix(`/api/v1`)',
  'traefik.http.routers.api.entrypoints': 'websecure',
  'traefik.http.routers.api.middlewares': 'rl',
  'traefik.http.middlewares.rl.ratelimit.average': '100',
  'traefik.http.middlewares.rl.ratelimit.burst': '50',
  'traefik.http.services.api.loadbalancer.server.port': '8000',
};

describe('checkRule', () => {
  it('accepts v3 rules with nesting and negation', () => {
    expect(checkRule('Host(`a`) && (PathPrefix(`/api/v1`) || !Path(`/x`)) && Header(`X-A`, `b`)', 'r')).to.deep.equal(
      [],
    );
  });

  it('reports v2 syntax, unknown matchers and broken expressions', () => {
    expect(checkRule('Host(`a`, `b`)', 'r')).to.deep.equal(['r: Host() takes 1 value(s) in v3, got 2']);
    expect(checkRule('Hostname(`a`)', 'r')[0]).to.match(/unknown matcher Hostname/);
    expect(checkRule('Host(`a`) && (Path(`/x`)', 'r')).to.deep.equal(['r: incomplete rule']);
    expect(checkRule('Host(`a`) Path(`/x`)', 'r')).to.deep.equal(['r: missing && or || between matchers']);
    expect(checkRule('Host(`a`) &&', 'r')).to.deep.equal(['r: incomplete rule']);
  });
});

describe('checkTraefikLabels', () => {
  it('accepts a complete router, middleware and service', () => {
    expect(checkTraefikLabels({ compose: service(good), entryPoints: ['web', 'websecure'] })).to.deep.equal([]);
  });

  it('reports undefined middlewares, services and entrypoints', () => {
    const errors = checkTraefikLabels({
      compose: service({
        ...good,
        'traefik.http.routers.api.middlewares': 'rl,nope',
        'traefik.http.routers.api.service': 'apii',
        'traefik.http.routers.api.entrypoints': 'https',
      }),
      entryPoints: ['web', 'websecure'],
    });
    expect(errors).to.include.members([
      'router api: middleware nope not defined',
      'router api: service apii not defined',
      'router api: entrypoint https is not defined (web, websecure)',
    ]);
  });

  it('reports a middleware body the Traefik schema rejects and an unknown middleware type', () => {
    const errors = checkTraefikLabels({
      compose: service({
        ...good,
        'traefik.http.middlewares.rl.ratelimit.average': 'lots',
        'traefik.http.middlewares.x.stripprefixx.prefixes': '/a',
      }),
    }).join('\n');
    expect(errors).to.match(/middleware rl: .*average/);
    expect(errors).to.match(/middleware x: unknown middleware type stripprefixx/);
  });

  it('reports a non-numeric server port and an unknown router key', () => {
    const errors = checkTraefikLabels({
      compose: service({
        ...good,
        'traefik.http.services.api.loadbalancer.server.port': 'http',
        'traefik.http.routers.api.entrypoint': 'web',
      }),
    });
    expect(errors).to.include.members([
      'service api: loadBalancer.server.port must be a number',
      'router api: unknown key entrypoint',
    ]);
  });
});

describe('entryPointsFromCommand', () => {
  it('reads entry point names from Traefik flags', () => {
    expect(
      entryPointsFromCommand(['--entrypoints.web.address=:80', '--entryPoints.websecure.address=:443', '--ping=true']),
    ).to.deep.equal(['web', 'websecure']);
  });
});
