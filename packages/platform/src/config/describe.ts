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

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/**
 * The configuration table as Markdown: name, default, meaning, required in production.
 * Services keep it in their README and test that it matches their fields.
 *
 * @example
 * renderConfigTable({ ...platformConfigFields, ...serviceConfigFields });
 */
export function renderConfigTable(fields: ConfigFields): string {
  const rows = describeConfig(fields).map((f) => {
    const required = f.requiredInProduction ? 'yes' : 'no';
    const meaning = f.secret ? `${f.description} (secret: never logged)` : f.description;
    return `| \`${f.name}\` | ${f.default === '(unset)' || f.default === '(empty)' ? f.default : `\`${cell(f.default)}\``} | ${cell(meaning)} | ${required} |`;
  });
  return ['| variable | default | meaning | required in production |', '|---|---|---|---|', ...rows].join('\n');
}

/** A `.env.example` listing every variable with its meaning, values left empty so defaults apply. */
export function renderEnvExample(fields: ConfigFields): string {
  const blocks = describeConfig(fields).map((f) => {
    const notes = [`default: ${f.default}`, ...(f.requiredInProduction ? ['required in production'] : []), ...(f.secret ? ['secret'] : [])];
    return `# ${f.description.replace(/`/g, '')} (${notes.join('; ')})\n${f.name}=`;
  });
  return `# Every variable the service reads. Leave a value empty to use its default.\n# Generated from the config schema: pnpm docs:config\n\n${blocks.join('\n\n')}\n`;
}
