import type { ErrorDetail } from '../errors/service-error.js';

/**
 * The `__proto__` keys of a parsed JSON body, as `unknown_field` details. `JSON.parse` makes
 * such a key an ordinary own property, but joi copies objects in a way that drops it, so it
 * would pass validation silently (201) where `constructor` or any other unknown key gets 422.
 * Walks with its own stack: a deeply nested body must not overflow the call stack.
 * @internal
 */
export function protoKeyDetails(body: unknown): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  const pending: { value: unknown; path: string }[] = [{ value: body, path: '' }];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const { value, path } = item;
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      value.forEach((element, index) =>
        pending.push({ value: element, path: path === '' ? String(index) : `${path}.${index}` }),
      );
      continue;
    }
    for (const key of Object.keys(value)) {
      const field = path === '' ? key : `${path}.${key}`;
      if (key === '__proto__') details.push({ field, message: `${field} is not allowed`, type: 'unknown_field' });
      else pending.push({ value: (value as Record<string, unknown>)[key], path: field });
    }
  }
  return details;
}
