/**
 * A getter of the one `T` of this process named `name`, made by `create` on first use. A service
 * may load two copies of the platform (two versions in one dependency tree); state that one copy
 * writes and another reads (the request scope, a request's context, route or principal) must live
 * where both find it, so it hangs off `globalThis` under a `Symbol.for` key. Nothing is made or
 * stored until the getter is first called. A name and the shape of its value are a contract
 * between copies: changing either is a breaking change.
 * @internal
 */
export function processWide<T>(name: string, create: () => T): () => T {
  const key = Symbol.for(`@org/platform/${name}`);
  let value: T | undefined;
  return () => (value ??= (globalThis as unknown as Record<symbol, T | undefined>)[key] ??= create());
}
