import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { renderConfigTable, renderEnvExample } from '@org/platform/config';
import { renderErrorCodeTable } from '@org/platform/errors';
import { allConfigFields } from '../src/config.js';
import { errorRegistries } from '../src/errors.js';

const root = new URL('../../../', import.meta.url);

describe('configuration documentation', () => {
  it('the README table lists every variable the service reads, as the schema declares it', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const table = readme
      .slice(
        readme.indexOf('<!-- config-table:start -->') + '<!-- config-table:start -->'.length,
        readme.indexOf('<!-- config-table:end -->'),
      )
      .trim();
    expect(table, 'run `pnpm run build && pnpm docs:config` to regenerate').to.equal(
      renderConfigTable(allConfigFields),
    );
  });

  it('.env.example lists every variable', () => {
    const example = readFileSync(new URL('.env.example', root), 'utf8');
    expect(example, 'run `pnpm run build && pnpm docs:config` to regenerate').to.equal(
      renderEnvExample(allConfigFields),
    );
    for (const name of Object.keys(allConfigFields)) expect(example).to.match(new RegExp(`^${name}=$`, 'm'));
  });
});

describe('error-code documentation', () => {
  it('the README table lists every code the service can answer with', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const table = readme
      .slice(
        readme.indexOf('<!-- error-codes:start -->') + '<!-- error-codes:start -->'.length,
        readme.indexOf('<!-- error-codes:end -->'),
      )
      .trim();
    expect(table, 'run `pnpm run build && pnpm docs:config` to regenerate').to.equal(
      renderErrorCodeTable(errorRegistries),
    );
  });
});
