import { before, describe, it } from 'mocha';
import { expect } from 'chai';
import { composeV1Version, composeV1Config } from '../src/compose-v1.mjs';
import { validateCompose } from '../src/compose.mjs';
import { root } from './helpers.mjs';

describe('composeV1Config', () => {
  before(function () {
    if (!composeV1Version()) this.skip(); // optional second opinion: the check script says when it is absent
  });

  it('accepts the merged repository compose files', () => {
    const { merged } = validateCompose({
      files: [`${root}/compose.yml`, `${root}/compose.gateway.yml`],
      env: { ACME_EMAIL: 'ops@example.com' },
    });
    expect(composeV1Config(merged, { root })).to.deep.equal([]);
  });

  it('reports an option compose does not know and a port of the wrong type', () => {
    const model = { services: { api: { image: 'x', helthcheck: { test: ['CMD', 'true'] }, ports: 8000 } } };
    const errors = composeV1Config(model, { root }).join('\n');
    expect(errors).to.match(/helthcheck/);
    expect(errors).to.match(/ports/);
  });
});
