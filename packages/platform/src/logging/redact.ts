/** What replaces a secret in a log line. */
export const REDACTED = '[REDACTED]';

// Key names that hold secrets, matched anywhere in the key and at any depth.
const SECRET_KEY =
  /authori[sz]ation|cookie|passw(?:or)?d|secret|token|api[-_]?key|private[-_]?key|credential|\bdsn\b|jwt/i;
// Values that are secrets whatever key they sit under: auth schemes and JWT-shaped strings.
const SECRET_VALUE = /\b(?:Bearer|Basic)\s+[^\s,;]+|\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g;
const MAX_DEPTH = 8;

// Log lines reuse a small set of field names: remember the verdict instead of re-testing.
const keyVerdicts = new Map<string, boolean>();

/** Whether a field name looks like it holds a secret. */
export function isSecretKey(key: string): boolean {
  let verdict = keyVerdicts.get(key);
  if (verdict === undefined) {
    verdict = SECRET_KEY.test(key);
    if (keyVerdicts.size < 4096) keyVerdicts.set(key, verdict);
  }
  return verdict;
}

/** `value` with bearer tokens and JWT-shaped strings replaced. */
export function redactString(value: string): string {
  // Most values hold neither an auth scheme nor a JWT: skip the regex for them.
  if (!value.includes('Bearer') && !value.includes('Basic') && !value.includes('eyJ')) return value;
  return value.replace(SECRET_VALUE, REDACTED);
}

function serializeError(error: Error, seen: WeakSet<object>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = { name: error.name, message: redactString(error.message) };
  if (error.stack !== undefined) out.stack = redactString(error.stack);
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') out.code = code;
  if (error.cause !== undefined) out.cause = redactValue(error.cause, seen, depth + 1);
  return out;
}

function redactValue(value: unknown, seen: WeakSet<object>, depth: number): unknown {
  if (typeof value === 'string') return redactString(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  seen.add(value);
  if (value instanceof Error) return serializeError(value, seen, depth);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => redactValue(item, seen, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSecretKey(key) ? REDACTED : redactValue(item, seen, depth + 1);
  }
  return out;
}

/**
 * A copy of `fields` with secrets replaced: values under secret-looking keys at any depth
 * (authorization, cookie, password, token, secret, api key, ...), and bearer tokens or
 * JWT-shaped strings wherever they appear. Errors become plain objects with their stack.
 */
export function redactFields(fields: Record<string, unknown>): Record<string, unknown> {
  const seen = new WeakSet<object>();
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = isSecretKey(key) ? REDACTED : redactValue(value, seen, 0);
  }
  return out;
}
