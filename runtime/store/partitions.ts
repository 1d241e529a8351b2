// Keys of dynamic partition definitions, added at run time by sensors, API calls or steps.
import type { Queryable } from './db.ts';

/** Adds keys not yet present; returns the ones that were new, in the order given. */
export async function addDynamicKeys(sql: Queryable, definition: string, keys: readonly string[]): Promise<string[]> {
  const unique = [...new Set(keys)];
  if (unique.length === 0) return [];
  // `order by n` makes seq follow the order given, so keys added together list in that order.
  const rows = await sql<{ key: string }[]>`
    insert into dynamic_partitions (definition, key)
    select ${definition}, k.key
    from unnest(${sql.array(unique)}::text[]) with ordinality as k(key, n)
    order by k.n
    on conflict (definition, key) do nothing
    returning key`;
  const added = new Set(rows.map((row) => row.key));
  return unique.filter((key) => added.has(key));
}

/** A definition's keys in the order they were added. */
export async function listDynamicKeys(sql: Queryable, definition: string): Promise<string[]> {
  const rows = await sql<{ key: string }[]>`
    select key from dynamic_partitions where definition = ${definition} order by seq`;
  return rows.map((row) => row.key);
}

/** Removes keys; returns how many existed. */
export async function deleteDynamicKeys(sql: Queryable, definition: string, keys: readonly string[]): Promise<number> {
  if (keys.length === 0) return 0;
  const result = await sql`
    delete from dynamic_partitions where definition = ${definition} and key = any(${sql.array([...keys])}::text[])`;
  return result.count;
}
