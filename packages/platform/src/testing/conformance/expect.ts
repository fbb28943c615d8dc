import type { ProbeResponse } from './client.js';

const JSON_TYPE = /^application\/json;\s*charset=utf-8$/i;
const ERROR_KEYS = new Set(['error', 'message', 'code', 'request_id', 'details']);

function label(res: ProbeResponse): string {
  return `${res.method} ${res.path}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Problems with the `Content-Type` of a JSON response. @internal */
export function jsonTypeProblems(res: ProbeResponse): string[] {
  const type = res.headers.get('content-type') ?? '';
  return JSON_TYPE.test(type)
    ? []
    : [`${label(res)}: Content-Type is "${type}", expected "application/json; charset=utf-8"`];
}

/** The body as an object, or a problem saying it is not one. @internal */
export function objectBody(res: ProbeResponse, problems: string[]): Record<string, unknown> | undefined {
  if (isRecord(res.json)) return res.json;
  problems.push(`${label(res)}: body is not a JSON object: ${res.text.slice(0, 200)}`);
  return undefined;
}

/** What the unified error shape expects of one response. @internal */
export interface ExpectedError {
  readonly status: number;
  readonly error: string;
  readonly code: string;
}

/** Problems of an error response against the unified shape (docs/contract.md "The error shape"). @internal */
export function errorShapeProblems(res: ProbeResponse, expected: ExpectedError): string[] {
  const problems: string[] = [];
  if (res.status !== expected.status) problems.push(`${label(res)}: status ${res.status}, expected ${expected.status}`);
  problems.push(...jsonTypeProblems(res));
  const body = objectBody(res, problems);
  if (body === undefined) return problems;
  for (const key of ['error', 'message', 'code', 'request_id']) {
    if (typeof body[key] !== 'string' || body[key] === '')
      problems.push(`${label(res)}: body.${key} is missing or not a non-empty string`);
  }
  const extra = Object.keys(body).filter((key) => !ERROR_KEYS.has(key));
  if (extra.length > 0) problems.push(`${label(res)}: body has keys outside the error shape: ${extra.join(', ')}`);
  if (body.code !== expected.code)
    problems.push(`${label(res)}: body.code is ${JSON.stringify(body.code)}, expected "${expected.code}"`);
  if (body.error !== expected.error)
    problems.push(`${label(res)}: body.error is ${JSON.stringify(body.error)}, expected "${expected.error}"`);
  const header = res.headers.get('x-request-id');
  if (header !== null && body.request_id !== header)
    problems.push(
      `${label(res)}: body.request_id ${JSON.stringify(body.request_id)} differs from X-Request-ID ${header}`,
    );
  return problems;
}

/** Problems unless the response carries `Cache-Control: no-store`. @internal */
export function noStoreProblems(res: ProbeResponse): string[] {
  const value = res.headers.get('cache-control') ?? '';
  return /(^|,)\s*no-store\s*(,|$)/i.test(value)
    ? []
    : [`${label(res)}: Cache-Control is "${value}", expected no-store`];
}
