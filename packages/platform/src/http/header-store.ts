import { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Where Node keeps a response's headers until they are sent: an object of `lower-case name →
 * [name, value]` under an internal symbol. `res.setHeader()` validates the name and value, lower-
 * cases the name and stores the pair there; under Express, whose responses rarely share a hidden
 * class, that is some 3,000 instructions a header (bench/README.md, "price-pieces"). Headers the
 * platform has validated once (helmet's, its request ids) go straight into that object, in the
 * order `setHeader()` would have stored them, and Node reads them from there as its own.
 *
 * The object is found and checked once per process, against a real response: only when
 * `setHeader`, `getHeader`, `getHeaderNames` and `removeHeader` all agree with a direct write is it
 * used; on a Node that keeps headers differently, `setHeader()` is used instead.
 * @internal
 */
export interface HeaderStore {
  /** Stores pairs whose names and values Node has accepted before (see {@link validatedHeaders}). */
  set(res: ServerResponse, pairs: readonly HeaderPair[]): void;
  /** Stores one header whose name Node has accepted before and whose value is valid by construction (a UUID, a checked id). */
  put(res: ServerResponse, key: string, name: string, value: string): void;
  /** Whether headers go straight into Node's store (false: through `setHeader`). */
  readonly direct: boolean;
}

/** A header as stored: its lower-case name, its name as written and its value. */
export interface HeaderPair {
  readonly key: string;
  readonly name: string;
  readonly value: string;
}

// Each response gets arrays of its own: Node changes them in place (`appendHeader`).
type Store = Record<string, [string, string]>;

function findStore(): symbol | undefined {
  try {
    const probe = new ServerResponse(new IncomingMessage(null as never));
    const symbol = Object.getOwnPropertySymbols(probe).find((s) => s.description === 'kOutHeaders');
    if (symbol === undefined) return undefined;
    const holder = probe as unknown as Record<symbol, Store | null>;
    probe.setHeader('X-Probe-Set', 'a');
    const store = holder[symbol];
    const set = store?.['x-probe-set'];
    if (store == null || !Array.isArray(set) || set[0] !== 'X-Probe-Set' || set[1] !== 'a') return undefined;
    store['x-probe-direct'] = ['X-Probe-Direct', 'b'];
    const agrees =
      probe.getHeader('x-probe-direct') === 'b' &&
      probe.hasHeader('X-Probe-Direct') &&
      probe.getHeaderNames().join() === 'x-probe-set,x-probe-direct' &&
      probe.getHeaders()['x-probe-direct'] === 'b';
    probe.removeHeader('X-Probe-Direct');
    return agrees && probe.getHeader('x-probe-direct') === undefined ? symbol : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A {@link HeaderStore} writing under `symbol` (Node's store, as {@link headerStore} found it), or
 * through `setHeader` when there is none.
 * @internal
 */
export function headerStoreFor(symbol: symbol | undefined): HeaderStore {
  if (symbol === undefined) {
    return {
      direct: false,
      set(res, pairs) {
        for (const { name, value } of pairs) res.setHeader(name, value);
      },
      put(res, _key, name, value) {
        res.setHeader(name, value);
      },
    };
  }
  const storeOf = (res: ServerResponse): Store => {
    const holder = res as unknown as Record<symbol, Store | null>;
    return (holder[symbol] ??= { __proto__: null } as unknown as Store);
  };
  return {
    direct: true,
    set(res, pairs) {
      const store = storeOf(res);
      // As setHeader: a header of the same name is replaced in its place.
      for (let i = 0; i < pairs.length; i++) {
        const pair = pairs[i]!;
        store[pair.key] = [pair.name, pair.value];
      }
    },
    put(res, key, name, value) {
      storeOf(res)[key] = [name, value];
    },
  };
}

let shared: HeaderStore | undefined;

/**
 * The process's {@link HeaderStore}: Node's own store when a real response shows it behaves as
 * expected, checked once on first use.
 *
 * @example
 * headerStore().set(res, validatedHeaders([['X-Frame-Options', 'DENY']]));
 * @internal
 */
export function headerStore(): HeaderStore {
  return (shared ??= headerStoreFor(findStore()));
}

// A response that is never sent: Node's own checks of names and values run on it.
let checker: ServerResponse | undefined;

/**
 * Headers checked by Node's own `setHeader` once (an invalid name or value throws its error here,
 * at setup), ready for {@link HeaderStore.set}.
 *
 * @example
 * const pairs = validatedHeaders([['X-Frame-Options', 'DENY']]);
 * @internal
 */
export function validatedHeaders(headers: Iterable<readonly [string, string]>): HeaderPair[] {
  checker ??= new ServerResponse(new IncomingMessage(null as never));
  const pairs: HeaderPair[] = [];
  for (const [name, value] of headers) {
    checker.setHeader(name, value);
    pairs.push(Object.freeze({ key: name.toLowerCase(), name, value }));
  }
  return pairs;
}
