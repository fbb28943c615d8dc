import winston from 'winston';
import TransportStream from 'winston-transport';
import { tryGetRequestContext } from '../context/request-context.js';
import { directLines, turnBufferedLines, type LineSink } from './line-sink.js';
import { isSecretKey, REDACTED, redactFields, redactString } from './redact.js';

/** Log levels, most severe first. */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
/** Structured fields of one log line. */
export type LogFields = Readonly<Record<string, unknown>>;

/** The platform logger: an event name (snake_case verb) plus fields. */
export interface Logger {
  error(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  debug(event: string, fields?: LogFields): void;
  log(level: LogLevel, event: string, fields?: LogFields): void;
  /** Whether lines of this level are written at all (skip building costly fields otherwise). */
  isLevelEnabled(level: LogLevel): boolean;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
  /** Resolves once everything logged so far has been handed to the output stream. */
  flush(): Promise<void>;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Service name on every line. */
  readonly service: string;
  /** Service version on every line. */
  readonly version: string;
  /** Deployment environment on every line. */
  readonly environment: string;
  /** Lowest level written. @default 'info' */
  readonly level?: LogLevel;
  /** `json`: one JSON object per line; `console`: readable text. @default 'json' */
  readonly format?: 'json' | 'console';
  /** Where lines go. @default process.stdout */
  readonly stream?: NodeJS.WritableStream;
  /** Colour console output. @default whether the stream is a TTY */
  readonly colors?: boolean;
  /**
   * Write the lines of one event-loop turn as one chunk at the next turn (lines still held at
   * process exit are written then): one write per turn instead of one per line. JSON format only.
   * @default true for JSON lines to process.stdout, false otherwise
   */
  readonly bufferLines?: boolean;
}

const MESSAGE = Symbol.for('message');
const COLORS: Record<string, string> = { error: '\x1b[31m', warn: '\x1b[33m', info: '\x1b[32m', debug: '\x1b[90m' };
const RESET = '\x1b[0m';

type Info = winston.Logform.TransformableInfo & Record<string | symbol, unknown>;

/** Fields of a {@link writeFlatLine} line: strings and numbers only (`undefined` is left out). */
export type FlatFields = Readonly<Record<string, string | number | undefined>>;
/** Writes one line whose level the caller has checked to be enabled. */
export type FlatLineWriter = (level: LogLevel, event: string, fields: FlatFields) => void;

/**
 * Internal to the platform: the key of a root JSON logger's writer of flat lines, which renders
 * the line itself and hands it straight to the stream. The access log writes one line per
 * request and the HTTP client one per call, and winston's object stream (info object, transform,
 * pipe, transport) cost the access line about a tenth of a bare Express request; a logger without
 * this key (a child, console format, another implementation of {@link Logger}) is written through
 * its `log` method instead.
 */
const writeFlatLine = Symbol('@org/platform/write-flat-line');

/** A number with its JSON text made by the caller (cheaper than formatting the double: see `durationText`). */
export interface JsonNumber {
  readonly value: number;
  /** Exactly what `JSON.stringify(value)` gives. */
  readonly json: string;
}
/** Values of a prepared line, in the order of its field names (`undefined` leaves the field out). */
export type PreparedValues = readonly (string | number | JsonNumber | undefined)[];
/** Writes one line of a fixed event and fixed field names, whose level the caller has checked to be enabled. */
export type PreparedLineWriter = (level: LogLevel, values: PreparedValues) => void;

/** Internal to the platform: the key of a root JSON logger's maker of {@link PreparedLineWriter}s. */
const prepareLine = Symbol('@org/platform/prepare-line');
/** Options of a prepared line. */
export interface PrepareLineOptions {
  /**
   * Fields whose values need neither escaping nor redaction, because the platform made them of
   * safe characters (a UUID, hex digits, an HTTP method): written between quotes as they are.
   * @default []
   */
  readonly plain?: readonly string[];
}
type LinePreparer = (event: string, keys: readonly string[], options: PrepareLineOptions) => PreparedLineWriter;

// Lines logged in the same millisecond share one timestamp string.
let lastMs = Number.NaN;
let lastIso = '';
function isoNow(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastIso = new Date(now).toISOString();
  }
  return lastIso;
}

/** What a flat line needs of a field name: its `,"name":` and whether its value is secret. */
interface FlatKey {
  readonly prefix: string;
  readonly secret: boolean;
}

// Flat lines reuse a handful of field names: render and judge each once.
const flatKeys = new Map<string, FlatKey>();
function flatKey(key: string): FlatKey {
  let known = flatKeys.get(key);
  if (known === undefined) {
    known = { prefix: `,${JSON.stringify(key)}:`, secret: isSecretKey(key) };
    if (flatKeys.size < 4096) flatKeys.set(key, known);
  }
  return known;
}

function flatField(key: string, value: string | number): string {
  const { prefix, secret } = flatKey(key);
  if (secret) return `${prefix}"${REDACTED}"`;
  if (typeof value === 'number') return prefix + (Number.isFinite(value) ? String(value) : 'null');
  return prefix + JSON.stringify(redactString(value));
}

const CONTEXT_KEYS = new Set(['request_id', 'correlation_id', 'trace_id', 'user_id']);

function contextJson(key: string, fromContext: string, fields: FlatFields): string {
  // A field of the same name wins, in the context's place (as Object.assign does in buildEntry).
  const value = Object.hasOwn(fields, key) ? fields[key] : fromContext;
  return value === undefined ? '' : flatField(key, value);
}

/**
 * The line `buildEntry` and JSON.stringify make, key for key, for flat fields, without the
 * objects in between. Fields must not be named like the base fields (timestamp, level, event,
 * service, version, environment).
 */
function flatJsonWriter(sink: LineSink, base: Record<string, string>): FlatLineWriter {
  const baseJson = JSON.stringify(base).slice(1, -1);
  return (level, event, fields) => {
    let line = `{"timestamp":"${isoNow()}","level":"${level}","event":${JSON.stringify(event)},${baseJson}`;
    const context = tryGetRequestContext();
    if (context !== undefined) {
      line +=
        contextJson('request_id', context.requestId, fields) +
        contextJson('correlation_id', context.correlationId, fields) +
        contextJson('trace_id', context.trace.traceId, fields);
      if (context.userId !== undefined) line += contextJson('user_id', context.userId, fields);
    }
    for (const key in fields) {
      const value = fields[key];
      if (
        value !== undefined &&
        (context === undefined || !CONTEXT_KEYS.has(key) || (key === 'user_id' && context.userId === undefined))
      ) {
        line += flatField(key, value);
      }
    }
    sink.write(`${line}}\n`);
  };
}

// Text JSON writes as it is (no quote, backslash, control or non-ASCII character) and that holds
// no auth scheme (which needs a space) and, checked apart, no JWT: ids, paths, methods, names.
const VERBATIM = /^[\w.:/@+-]*$/;

function valueJson(value: string | number | JsonNumber, secret: boolean): string {
  if (secret) return `"${REDACTED}"`;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'object') return value.json;
  if (VERBATIM.test(value) && !value.includes('eyJ')) return `"${value}"`;
  return JSON.stringify(redactString(value));
}

/**
 * The line {@link flatJsonWriter} writes for `fields` named `keys` with `values`, with everything
 * that does not change between lines rendered once: the level, event and base part after the
 * timestamp, each key as `,"key":`, and which keys are secret or the request context's. Only the
 * values are escaped per line.
 */
function preparedJsonLine(
  sink: LineSink,
  base: Record<string, string>,
  event: string,
  keys: readonly string[],
  options: PrepareLineOptions,
): PreparedLineWriter {
  const rest = `,"event":${JSON.stringify(event)},${JSON.stringify(base).slice(1, -1)}`;
  const heads: Readonly<Record<LogLevel, string>> = {
    error: `","level":"error"${rest}`,
    warn: `","level":"warn"${rest}`,
    info: `","level":"info"${rest}`,
    debug: `","level":"debug"${rest}`,
  };
  const prefixes = keys.map((key) => flatKey(key).prefix);
  const secrets = keys.map((key) => flatKey(key).secret);
  const plain = keys.map((key) => options.plain?.includes(key) === true && !flatKey(key).secret);
  const json = (i: number, value: string | number | JsonNumber): string =>
    plain[i] === true && typeof value === 'string' ? `"${value}"` : valueJson(value, secrets[i]!);
  // Where each key of the request context sits among `keys` (-1: not a field, the context's value is used).
  const at = (key: string): number => keys.indexOf(key);
  const [requestId, correlationId, traceId, userId] = [
    at('request_id'),
    at('correlation_id'),
    at('trace_id'),
    at('user_id'),
  ];
  const contextKey = keys.map((key) => CONTEXT_KEYS.has(key));
  const [requestIdKey, correlationIdKey, traceIdKey, userIdKey] = [
    'request_id',
    'correlation_id',
    'trace_id',
    'user_id',
  ].map(flatKey) as [FlatKey, FlatKey, FlatKey, FlatKey];
  const keyed = (own: FlatKey, value: string | number | JsonNumber | undefined): string =>
    value === undefined ? '' : own.prefix + valueJson(value, own.secret);
  const field = (i: number, value: string | number | JsonNumber | undefined): string =>
    value === undefined ? '' : prefixes[i]! + json(i, value);
  return (level, values) => {
    let line = `{"timestamp":"${isoNow()}${heads[level]}`;
    const context = tryGetRequestContext();
    if (context === undefined) {
      for (let i = 0; i < prefixes.length; i++) {
        const value = values[i];
        if (value !== undefined) line += prefixes[i]! + json(i, value);
      }
    } else {
      // A field of the same name wins, in the context's place (as in flatJsonWriter).
      line += requestId === -1 ? keyed(requestIdKey, context.requestId) : field(requestId, values[requestId]);
      line +=
        correlationId === -1
          ? keyed(correlationIdKey, context.correlationId)
          : field(correlationId, values[correlationId]);
      line += traceId === -1 ? keyed(traceIdKey, context.trace.traceId) : field(traceId, values[traceId]);
      const contextUser = context.userId !== undefined;
      if (contextUser) line += userId === -1 ? keyed(userIdKey, context.userId) : field(userId, values[userId]);
      for (let i = 0; i < prefixes.length; i++) {
        const value = values[i];
        if (value !== undefined && (!contextKey[i] || (i === userId && !contextUser)))
          line += prefixes[i]! + json(i, value);
      }
    }
    sink.write(`${line}}\n`);
  };
}

function buildEntry(info: Info, base: Record<string, string>): Record<string, unknown> {
  const { level, message, ...fields } = info;
  const entry: Record<string, unknown> = {
    timestamp: isoNow(),
    level,
    event: message,
    ...base,
  };
  const context = tryGetRequestContext();
  if (context !== undefined) {
    entry.request_id = context.requestId;
    entry.correlation_id = context.correlationId;
    entry.trace_id = context.trace.traceId;
    if (context.userId !== undefined) entry.user_id = context.userId;
  }
  return Object.assign(entry, redactFields(fields));
}

function formatConsoleValue(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

function renderConsole(entry: Record<string, unknown>, colors: boolean): string {
  const { timestamp, level, event, service: _s, version: _v, environment: _e, stack, ...rest } = entry;
  const time = String(timestamp).slice(11, 23);
  const lvl = String(level).toUpperCase().padEnd(5);
  const head = colors ? `${COLORS[String(level)] ?? ''}${lvl}${RESET}` : lvl;
  const pairs = Object.entries(rest)
    .map(([k, v]) => `${k}=${formatConsoleValue(v)}`)
    .join(' ');
  const tail = typeof stack === 'string' ? `\n${stack}` : '';
  return `${time} ${head} ${String(event)}${pairs === '' ? '' : ` ${pairs}`}${tail}`;
}

/**
 * Hands each rendered line straight to the stream. winston's own Stream transport also schedules
 * a `setImmediate` per line (for its 'logged' event), an event-loop turn per request we do not need.
 */
class LineTransport extends TransportStream {
  readonly #sink: LineSink;

  constructor(sink: LineSink) {
    super();
    this.#sink = sink;
  }

  override log(info: Info, next: () => void): void {
    this.#sink.write(`${String(info[MESSAGE])}\n`);
    next();
  }
}

function wrap(inner: winston.Logger, stream: NodeJS.WritableStream, sink: LineSink): Logger {
  // winston runs the format (context, redaction, stringify) before its transports drop a line
  // below the level: check first, so a filtered debug line (one per outgoing call) costs nothing.
  // The level is fixed for a logger's life: ask winston once (its check builds an array of
  // transports on every call).
  const enabled: Readonly<Record<LogLevel, boolean>> = {
    error: inner.isLevelEnabled('error'),
    warn: inner.isLevelEnabled('warn'),
    info: inner.isLevelEnabled('info'),
    debug: inner.isLevelEnabled('debug'),
  };
  function write(level: LogLevel, event: string, fields: LogFields | undefined): void {
    if (enabled[level]) inner.log(level, event, fields);
  }
  const logger: Logger = {
    error: (event, fields) => write('error', event, fields),
    warn: (event, fields) => write('warn', event, fields),
    info: (event, fields) => write('info', event, fields),
    debug: (event, fields) => write('debug', event, fields),
    log: (level, event, fields) => write(level, event, fields),
    isLevelEnabled: (level) => enabled[level] === true,
    child: (fields) => wrap(inner.child({ ...fields }), stream, sink),
    flush: () => {
      sink.flush();
      return flushStream(stream);
    },
  };
  return logger;
}

function flushStream(stream: NodeJS.WritableStream): Promise<void> {
  const writable = stream as NodeJS.WritableStream & { writableNeedDrain?: boolean };
  if (writable.writableNeedDrain !== true) return Promise.resolve();
  return new Promise((resolve) => writable.once('drain', () => resolve()));
}

/**
 * Creates the structured logger every service uses. Each line carries `timestamp`, `level`,
 * `event`, `service`, `version`, `environment`, and inside a request `request_id`,
 * `correlation_id`, `trace_id` (W3C, shared with the services the request calls) and `user_id`. Secrets are redacted at any depth.
 *
 * @example
 * const logger = createLogger({ service: 'billing', version: '1.2.0', environment: 'local', format: 'console' });
 * logger.info('invoice_created', { invoice_id: id });
 */
export function createLogger(options: LoggerOptions): Logger {
  const stream = options.stream ?? process.stdout;
  const format = options.format ?? 'json';
  const colors = options.colors ?? (stream as NodeJS.WriteStream).isTTY === true;
  const base = { service: options.service, version: options.version, environment: options.environment };
  const sink =
    format === 'json' && (options.bufferLines ?? stream === process.stdout)
      ? turnBufferedLines(stream)
      : directLines(stream);
  const render = winston.format((info: Info) => {
    const entry = buildEntry(info, base);
    info[MESSAGE] = format === 'json' ? JSON.stringify(entry) : renderConsole(entry, colors);
    return info;
  });
  const inner = winston.createLogger({
    level: options.level ?? 'info',
    levels: { error: 0, warn: 1, info: 2, debug: 3 },
    format: render(),
    transports: [new LineTransport(sink)],
    exitOnError: false,
  });
  const logger = wrap(inner, stream, sink);
  if (format === 'json') {
    Object.defineProperty(logger, writeFlatLine, { value: flatJsonWriter(sink, base) });
    const preparer: LinePreparer = (event, keys, prepareOptions) =>
      preparedJsonLine(sink, base, event, keys, prepareOptions);
    Object.defineProperty(logger, prepareLine, { value: preparer });
  }
  return logger;
}

/** The flat-line writer of a logger made by {@link createLogger}, when it has one. */
export function flatLineWriter(logger: Logger): FlatLineWriter | undefined {
  return (logger as Logger & { [writeFlatLine]?: FlatLineWriter })[writeFlatLine];
}

/**
 * How a hot path writes its flat lines through `logger`: straight to the stream when the logger
 * can, else through `log()` with the `undefined` fields left out (the console format would print them).
 */
export function flatLinesOf(logger: Logger): FlatLineWriter {
  return (
    flatLineWriter(logger) ??
    ((level, event, fields) => {
      const defined: Record<string, string | number> = {};
      for (const key in fields) {
        const value = fields[key];
        if (value !== undefined) defined[key] = value;
      }
      logger.log(level, event, defined);
    })
  );
}

/**
 * How a hot path writes lines of one event with fixed field names: rendered by the logger with
 * their fixed part prepared once, when the logger can (a root JSON logger of
 * {@link createLogger}); else as fields through {@link flatLinesOf}. Either way the line is the
 * one `logger.log(level, event, fields)` would write.
 *
 * @example
 * const write = preparedLinesOf(logger, 'job_done', ['job_id', 'duration_ms']);
 * if (logger.isLevelEnabled('info')) write('info', [job.id, 12.5]);
 * @internal
 */
export function preparedLinesOf(
  logger: Logger,
  event: string,
  keys: readonly string[],
  options: PrepareLineOptions = {},
): PreparedLineWriter {
  const preparer = (logger as Logger & { [prepareLine]?: LinePreparer })[prepareLine];
  if (preparer !== undefined) return preparer(event, [...keys], options);
  const write = flatLinesOf(logger);
  return (level, values) => {
    const fields: Record<string, string | number | undefined> = {};
    for (let i = 0; i < keys.length; i++) {
      const value = values[i];
      fields[keys[i]!] = typeof value === 'object' ? value.value : value;
    }
    write(level, event, fields);
  };
}
