// Internal: not re-exported by the package root. `/version` and `/metrics` read usedDeprecations().
export {
  deprecated,
  deprecatedCalls,
  DEPRECATIONS,
  usedDeprecations,
  type Deprecation,
  type DeprecationCode,
} from './deprecations.js';
