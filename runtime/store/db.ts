// The control plane's connection pool: one convention for every query module.
import postgres from 'postgres';

export interface ConnectOptions {
  /** Pool size; the API and a worker each need only a handful of connections. */
  max?: number;
  /** Shown in pg_stat_activity, to tell the API, workers and tools apart. */
  applicationName?: string;
}

// Row convention: snake_case columns arrive as camelCase keys, and `sql(object)` helpers map back.
// Only column names are transformed: `postgres.camel` would also rewrite keys inside jsonb values,
// corrupting user metadata such as `{ row_count: 3 }`. int8 (bigserial ids, counts) parses to
// number, which is exact far beyond any id this store will reach (2^53).
const int8: postgres.PostgresType<number> = {
  to: 20,
  from: [20],
  serialize: (value: number) => String(value),
  parse: (value: string) => Number(value),
};

export type Sql = postgres.Sql<{ int8: number }>;
/** Anything queries run on: the pool or a transaction from `sql.begin`. */
export type Queryable = Sql | postgres.TransactionSql<{ int8: number }>;

export function connect(url: string, opts: ConnectOptions = {}): Sql {
  return postgres(url, {
    onnotice: () => undefined,
    transform: { column: { from: postgres.toCamel, to: postgres.fromCamel } },
    types: { int8 },
    max: opts.max ?? 10,
    idle_timeout: 60,
    connect_timeout: 10,
    connection: {
      application_name: opts.applicationName ?? 'weir',
      // Data here is skewed (one run has 10 events, another a million; most runs succeed). After five
      // executions PostgreSQL may switch a prepared statement to a generic plan that ignores the
      // values, e.g. scanning every event by id to find one run's warnings (measured: 4 ms → 65 ms).
      // Planning each execution costs a fraction of a millisecond and keeps plans value-aware.
      plan_cache_mode: 'force_custom_plan',
    },
  });
}

/** Wraps a jsonb value: plain arrays would otherwise be sent as PostgreSQL arrays. */
export function json(sql: Queryable, value: unknown): postgres.Parameter {
  return sql.json(value as postgres.JSONValue);
}
