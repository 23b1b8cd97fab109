/**
 * A value this process keeps for each database it writes to, made on first use: what it last wrote
 * there, which a write after it checks rather than reads first. A Kysely instance and its
 * transactions share their executor's adapter, so keyed by it the value is the same inside a
 * transaction and out, and two databases (tests open many) never share one.
 */
export function perDatabase<T>(create: () => T): (executor: { getExecutor(): { readonly adapter: object } }) => T {
  const values = new WeakMap<object, T>();
  return (executor) => {
    const key = executor.getExecutor().adapter;
    let value = values.get(key);
    if (value === undefined) values.set(key, (value = create()));
    return value;
  };
}
