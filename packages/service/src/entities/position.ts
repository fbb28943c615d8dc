import type { PagePosition } from './entity.js';

// PostgreSQL's text forms of a timestamptz: `2026-11-26 14:00:00.123456+00`, PostgREST's
// `2026-11-26T14:00:00.123456+00:00`, ours `2026-11-26T14:00:00.123456Z`.
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(Z|[+-]\d{2}(?::?\d{2})?)$/;

/**
 * A timestamptz's text as UTC with all six fractional digits (`2026-11-26T14:00:00.123456Z`), or
 * `undefined` when it is not one. A JavaScript `Date` keeps milliseconds only: a page boundary
 * rounded to them would skip or repeat rows created within the same millisecond.
 *
 * @example
 * utcMicros('2026-11-26T15:00:00.1234+01:00'); // '2026-11-26T14:00:00.123400Z'
 */
export function utcMicros(text: string): string | undefined {
  const match = TIMESTAMP.exec(text);
  if (match === null) return undefined;
  const [, day, time, fraction = '', zone] = match;
  const digits = fraction.padEnd(6, '0');
  const offset =
    zone === 'Z'
      ? 'Z'
      : zone!.length === 3
        ? `${zone}:00`
        : zone!.includes(':')
          ? zone
          : `${zone!.slice(0, 3)}:${zone!.slice(3)}`;
  const date = new Date(`${day}T${time}.${digits.slice(0, 3)}${offset}`);
  if (Number.isNaN(date.getTime())) return undefined;
  return date.toISOString().replace(/Z$/, `${digits.slice(3)}Z`);
}

/**
 * The position of a row read for a page (`position` is its creation time as the database wrote it).
 *
 * @example
 * positionOf({ id, position: '2026-11-26T14:00:00.123456Z' });
 */
export function positionOf(row: Readonly<Record<string, unknown>>, column = 'position'): PagePosition {
  const createdAt = typeof row[column] === 'string' ? utcMicros(row[column]) : undefined;
  if (createdAt === undefined) throw new Error(`a listed row has no readable ${column}`);
  return { createdAt, id: String(row.id) };
}
