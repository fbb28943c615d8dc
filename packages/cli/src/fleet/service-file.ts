import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { UsageError } from '../command/usage-error.js';
import { baseUrl, type FleetTarget } from './target.js';

/** The Backstage annotation that names a component's base URL (and marks it as a fleet service). */
export const BASE_URL_ANNOTATION = 'org-platform/base-url';
/** Optional Backstage annotations for the conformance run. */
export const PROTECTED_ANNOTATION = 'org-platform/protected-route';
export const ORIGIN_ANNOTATION = 'org-platform/cors-origin';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function optionalString(entry: Json, key: string, where: string): string | undefined {
  const value = entry[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '')
    throw new UsageError(`${where}: ${key} must be a non-empty string`);
  return value;
}

function fromServicesList(services: unknown, where: string): FleetTarget[] {
  if (!Array.isArray(services))
    throw new UsageError(`${where}: services must be a list of { name, url, protected?, origin? }`);
  return services.map((entry, index) => {
    const at = `${where}: services[${index}]`;
    if (!isObject(entry)) throw new UsageError(`${at} must be a mapping with name and url`);
    const name = optionalString(entry, 'name', at);
    const url = optionalString(entry, 'url', at);
    if (name === undefined || url === undefined) throw new UsageError(`${at} needs both name and url`);
    const unknown = Object.keys(entry).filter((key) => !['name', 'url', 'protected', 'origin'].includes(key));
    if (unknown.length > 0)
      throw new UsageError(`${at}: unknown key ${unknown.join(', ')} (expected name, url, protected, origin)`);
    const target: FleetTarget = { name, url: baseUrl(url, `${at}.url`) };
    const protectedRoute = optionalString(entry, 'protected', at);
    const origin = optionalString(entry, 'origin', at);
    return {
      ...target,
      ...(protectedRoute === undefined ? {} : { protected: protectedRoute }),
      ...(origin === undefined ? {} : { origin }),
    };
  });
}

// A Backstage entity: `kind: Component` with the base-url annotation is a fleet service; the rest is skipped.
function fromCatalogEntity(doc: Json, where: string): FleetTarget[] {
  if (doc.kind !== 'Component' || !isObject(doc.metadata)) return [];
  const annotations = isObject(doc.metadata.annotations) ? doc.metadata.annotations : {};
  const url = annotations[BASE_URL_ANNOTATION];
  if (url === undefined) return [];
  const name = doc.metadata.name;
  if (typeof name !== 'string' || name === '')
    throw new UsageError(`${where}: a Component with ${BASE_URL_ANNOTATION} has no metadata.name`);
  const at = `${where}: Component ${name}`;
  if (typeof url !== 'string') throw new UsageError(`${at}: annotation ${BASE_URL_ANNOTATION} must be a string`);
  const protectedRoute = optionalString(annotations, PROTECTED_ANNOTATION, at);
  const origin = optionalString(annotations, ORIGIN_ANNOTATION, at);
  return [
    {
      name,
      url: baseUrl(url, `${at}: ${BASE_URL_ANNOTATION}`),
      ...(protectedRoute === undefined ? {} : { protected: protectedRoute }),
      ...(origin === undefined ? {} : { origin }),
    },
  ];
}

/**
 * Parses a services file: YAML with `services: [{ name, url, protected?, origin? }]`, or
 * Backstage `catalog-info.yaml` (one or many documents), whose `kind: Component` entities with
 * the `org-platform/base-url` annotation are the services (`org-platform/protected-route` and
 * `org-platform/cors-origin` feed the conformance run). Anything malformed is a usage error
 * naming the file and the entry.
 *
 * @example
 * parseServiceFile('services:\n  - { name: orders, url: https://orders.example.com }\n', 'fleet.yaml');
 */
export function parseServiceFile(text: string, where: string): FleetTarget[] {
  const targets: FleetTarget[] = [];
  for (const [index, document] of parseAllDocuments(text).entries()) {
    const at = `${where} (document ${index + 1})`;
    if (document.errors.length > 0)
      throw new UsageError(`${at}: not valid YAML: ${document.errors[0]!.message.split('\n')[0]}`);
    const doc: unknown = document.toJS();
    if (doc === null || doc === undefined) continue;
    if (!isObject(doc)) throw new UsageError(`${at}: expected a mapping (services: [...], or a Backstage entity)`);
    if ('services' in doc) targets.push(...fromServicesList(doc.services, at));
    else if ('kind' in doc && 'apiVersion' in doc) targets.push(...fromCatalogEntity(doc, at));
    else throw new UsageError(`${at}: expected services: [...] or Backstage entities (apiVersion, kind)`);
  }
  return targets;
}

/**
 * Reads and parses a services file ({@link parseServiceFile}).
 *
 * @example
 * const targets = await readServiceFile('catalog-info.yaml');
 */
export async function readServiceFile(path: string): Promise<FleetTarget[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--file ${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return parseServiceFile(text, path);
}
