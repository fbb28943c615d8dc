import type { ConfigFields } from './fields.js';
import { fileVariableOf } from './file-variables.js';

/** One row of the configuration table. */
export interface ConfigFieldDescription {
  readonly name: string;
  readonly default: string;
  readonly description: string;
  readonly secret: boolean;
  /** The variable naming a file that may hold the value instead (`NAME_FILE`), when the field accepts one. */
  readonly fileVariable?: string;
  readonly requiredInProduction: boolean;
}

/** The documentation rows of a set of fields, in declaration order (the README table's source). */
export function describeConfig(fields: ConfigFields): readonly ConfigFieldDescription[] {
  return Object.entries(fields).map(([name, spec]) => {
    const fileVariable = fileVariableOf(name, spec);
    return {
      name,
      default: spec.defaultText,
      description: spec.description,
      secret: spec.secret,
      ...(fileVariable === undefined ? {} : { fileVariable }),
      requiredInProduction: spec.requiredInProduction,
    };
  });
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/**
 * The configuration table as Markdown: name, default, meaning (with whether it is a secret and
 * the `NAME_FILE` variable that may give it as a file), required in production.
 * Services keep it in their README and test that it matches their fields.
 *
 * @example
 * renderConfigTable({ ...platformConfigFields, ...serviceConfigFields });
 */
export function renderConfigTable(fields: ConfigFields): string {
  const rows = describeConfig(fields).map((f) => {
    const required = f.requiredInProduction ? 'yes' : 'no';
    const notes = [
      ...(f.secret ? ['secret: never logged'] : []),
      ...(f.fileVariable === undefined ? [] : [`or from a file: \`${f.fileVariable}\``]),
    ];
    const meaning = notes.length === 0 ? f.description : `${f.description} (${notes.join('; ')})`;
    return `| \`${f.name}\` | ${f.default === '(unset)' || f.default === '(empty)' ? f.default : `\`${cell(f.default)}\``} | ${cell(meaning)} | ${required} |`;
  });
  return ['| variable | default | meaning | required in production |', '|---|---|---|---|', ...rows].join('\n');
}

/** A `.env.example` listing every variable with its meaning, values left empty so defaults apply. */
export function renderEnvExample(fields: ConfigFields): string {
  const blocks = describeConfig(fields).map((f) => {
    const notes = [
      `default: ${f.default}`,
      ...(f.requiredInProduction ? ['required in production'] : []),
      ...(f.secret ? ['secret'] : []),
      ...(f.fileVariable === undefined ? [] : [`or set ${f.fileVariable} to a file holding it`]),
    ];
    return `# ${f.description.replace(/`/g, '')} (${notes.join('; ')})\n${f.name}=`;
  });
  return `# Every variable the service reads. Leave a value empty to use its default.\n# Generated from the config schema: pnpm docs:config\n\n${blocks.join('\n\n')}\n`;
}
