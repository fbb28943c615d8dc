import type { ConfigFields } from './fields.js';

/** One row of the configuration table. */
export interface ConfigFieldDescription {
  readonly name: string;
  readonly default: string;
  readonly description: string;
  readonly secret: boolean;
  readonly requiredInProduction: boolean;
}

/** The documentation rows of a set of fields, in declaration order (the README table's source). */
export function describeConfig(fields: ConfigFields): readonly ConfigFieldDescription[] {
  return Object.entries(fields).map(([name, spec]) => ({
    name,
    default: spec.defaultText,
    description: spec.description,
    secret: spec.secret,
    requiredInProduction: spec.requiredInProduction,
  }));
}
