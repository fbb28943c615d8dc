import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { renderConfigTable } from '@org/platform/config';
import { ordersConfigFields } from '../src/config.js';

describe("the orders example's configuration table", () => {
  it('is the one the config schema renders (run `pnpm run build && pnpm docs:config` after changing a field)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const table = /<!-- config-table:start -->\n([\s\S]*?)\n<!-- config-table:end -->/.exec(readme)?.[1];
    expect(table).to.equal(renderConfigTable(ordersConfigFields));
  });
});
