// The floors of @org/platform's source (docs/architecture.md, "Floors"), checked with
// dependency-cruiser by `npm test`. Imports point down only: never sideways within a floor, never up.
// The floors are the architecture's, from the ground up; where a folder stands on another that the
// architecture names on the same floor (health and metrics on http, auth on metrics, openapi on
// routes), that one is a floor of its own below it, in the architecture's order.
import { cruiseOptions, file, floorRules, folder } from '../../scripts/import-floors.mjs';

/**
 * The switch: every rule below is an error that fails `npm test`. (It was false while
 * http/create-service-app.ts imported health and metrics and config/platform-fields.ts imported
 * auth/pem.ts; the app moved to app/ and the PEM check to config/.)
 */
export const ENFORCED = true;

const src = (name, as) => folder('src', name, as);

/** @type {import('../../scripts/import-floors.mjs').Floor[]} */
export const FLOORS = [
  { name: 'ground', pieces: [src('errors'), src('context'), src('config')] },
  { name: 'process-wide services', pieces: [src('logging'), src('observability'), src('deprecation')] },
  { name: 'the pipeline', pieces: [src('http')] }, // the pieces of the request path that health, metrics and lifecycle stand on
  {
    name: 'concerns',
    pieces: [
      src('validation'),
      src('client'),
      src('metrics'),
      src('health'),
      src('idempotency'), // retried writes: keys, fingerprints, the store's contract
      src('conditional'), // entity tags and If-Match
    ],
  },
  { name: 'authentication', pieces: [src('auth')] }, // counts its session cache's hits in metrics
  { name: 'declarations and the process', pieces: [src('routes'), src('lifecycle')] },
  { name: 'the document', pieces: [src('docs', 'openapi')] }, // OpenAPI, read from the route declarations
  {
    name: 'assembly',
    pieces: [
      src('app'), // createServiceApp: the pipeline, health, metrics and the lifecycle put together
      src('testing'),
    ],
  },
  { name: 'public API', pieces: [file('src', 'index.ts'), src('public')] }, // the entry points: each names its exports
];

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: floorRules(FLOORS, { severity: ENFORCED ? 'error' : 'warn' }),
  options: cruiseOptions('tsconfig.json'),
};
