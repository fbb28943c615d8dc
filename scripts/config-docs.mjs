#!/usr/bin/env node
// Regenerates the README's configuration table and .env.example from the config schema
// (run after `pnpm run build`). packages/service/test/config-docs.test.ts fails when they drift.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
// The built subpaths @org/platform/config and @org/platform/errors (the workspace root does not depend on the package).
const { renderConfigTable, renderEnvExample } = await import(resolve(root, 'packages/platform/dist/public/config.js'));
const { renderErrorCodeTable } = await import(resolve(root, 'packages/platform/dist/public/errors.js'));
const { allConfigFields } = await import(resolve(root, 'packages/service/dist/config.js'));
const { errorRegistries } = await import(resolve(root, 'packages/service/dist/errors.js'));

function replaceBetween(text, name, content) {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from === -1 || to === -1) throw new Error(`README.md has no ${start} ... ${end} markers`);
  return `${text.slice(0, from + start.length)}\n${content}\n${text.slice(to)}`;
}

const readmePath = resolve(root, 'README.md');
let readme = readFileSync(readmePath, 'utf8');
readme = replaceBetween(readme, 'config-table', renderConfigTable(allConfigFields));
readme = replaceBetween(readme, 'error-codes', renderErrorCodeTable(errorRegistries));
writeFileSync(readmePath, readme);
writeFileSync(resolve(root, '.env.example'), renderEnvExample(allConfigFields));
// The example orders service documents its own variables (the platform's are in the table above).
const { ordersConfigFields } = await import(resolve(root, 'examples/orders-service/dist/config.js'));
const ordersReadmePath = resolve(root, 'examples/orders-service/README.md');
writeFileSync(
  ordersReadmePath,
  replaceBetween(readFileSync(ordersReadmePath, 'utf8'), 'config-table', renderConfigTable(ordersConfigFields)),
);
console.log("README.md tables (configuration, error codes), .env.example and the orders example's table regenerated");
