/**
 * @org/platform/config: config tools: describe a service's fields, render them as a Markdown
 * table or a .env example (docs and build scripts), parse a list the way the platform's fields do.
 * @packageDocumentation
 */
export { describeConfig, renderConfigTable, renderEnvExample } from '../config/describe.js';
export { parseList } from '../config/fields.js';
