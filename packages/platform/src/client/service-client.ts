import { performance } from 'node:perf_hooks';
import { UpstreamError } from './errors.js';
import { createHttpClient, type HttpClient } from './http-client.js';
import type { HttpClientOptions } from './options.js';

/** Options of {@link serviceClient}: those of {@link createHttpClient} without `baseUrl`. */
export interface ServiceClientOptions extends Omit<HttpClientOptions, 'baseUrl' | 'service'> {
  /**
   * Where `{NAME}_URL` is read, once, at creation: pass the service's loaded config (which
   * declares the variable, validates it and also reads `.env`), or any record of variables.
   * @default process.env
   */
  readonly env?: Readonly<Record<string, unknown>>;
}

const SERVICE_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/**
 * The environment variable holding a service's base URL: `billing-service` → `BILLING_SERVICE_URL`.
 *
 * @example
 * serviceUrlVariable('billing-service') // 'BILLING_SERVICE_URL'
 */
export function serviceUrlVariable(name: string): string {
  if (!SERVICE_NAME.test(name))
    throw new TypeError(`service name must be lower-case kebab-case, got ${JSON.stringify(name)}`);
  return `${name.replace(/-/g, '_').toUpperCase()}_URL`;
}

function notConfigured(name: string, variable: string, logger: HttpClientOptions['logger']): HttpClient {
  async function request(method: string, path: string): Promise<never> {
    const started = performance.now();
    // The caller gets the registry's generic message; which variable is missing is for the log.
    const error = new UpstreamError('SERVICE_NOT_CONFIGURED', { service: name, method, path: path.split('?')[0] });
    logger.warn('http_client_call', {
      upstream: name,
      variable,
      method,
      path: error.path,
      duration_ms: Math.round((performance.now() - started) * 10) / 10,
      attempts: 0,
      error_code: error.code,
    });
    return Promise.reject(error);
  }
  return {
    origin: '',
    request: (method, path) => request(method, path),
    get: (path) => request('GET', path),
    post: (path) => request('POST', path),
    put: (path) => request('PUT', path),
    patch: (path) => request('PATCH', path),
    delete: (path) => request('DELETE', path),
    close: () => Promise.resolve(),
  };
}

/**
 * The client of a fellow service found by convention: `serviceClient('billing-service')` reads
 * `BILLING_SERVICE_URL` once, now, from `options.env` (the service's config, or `process.env`).
 * When it is unset or empty, the client still exists (so the service starts and its other routes
 * work) and one `service_not_configured` warning is logged now, at startup; every call then
 * rejects with 503 `SERVICE_NOT_CONFIGURED` before any I/O. A set but malformed URL throws here.
 *
 * @example
 * const config = loadConfig({ fields: { BILLING_SERVICE_URL: env.url({ description: 'Billing service base URL' }) } });
 * const billing = serviceClient('billing-service', { logger, env: config });
 * const { body } = await billing.post<Invoice>('/invoices', { json: { orderId }, idempotencyKey: orderId });
 */
export function serviceClient(name: string, options: ServiceClientOptions): HttpClient {
  const variable = serviceUrlVariable(name);
  const { env = process.env, ...clientOptions } = options;
  const value = env[variable];
  if (value !== undefined && typeof value !== 'string')
    throw new TypeError(`${variable} must be a URL string, got ${typeof value}`);
  const baseUrl = value?.trim();
  if (baseUrl === undefined || baseUrl === '') {
    options.logger.warn('service_not_configured', {
      upstream: name,
      variable,
      note: `every call to ${name} answers 503 SERVICE_NOT_CONFIGURED until ${variable} is set`,
    });
    return notConfigured(name, variable, options.logger);
  }
  try {
    return createHttpClient({ ...clientOptions, baseUrl, service: name });
  } catch (error) {
    throw new TypeError(`${variable} is not a valid service URL: ${(error as Error).message}`, { cause: error });
  }
}
