// What one run produced: its check results and materializations (the run page and `weir runs show`).
import type { Queryable } from './db.ts';
import type { CheckResultRow, MaterializationRow } from './assets.ts';

export async function listChecksOfRun(sql: Queryable, runId: string): Promise<CheckResultRow[]> {
  return sql<CheckResultRow[]>`select * from check_results where run_id = ${runId} order by id`;
}

export async function listMaterializationsOfRun(sql: Queryable, runId: string): Promise<MaterializationRow[]> {
  return sql<MaterializationRow[]>`select * from materializations where run_id = ${runId} order by id`;
}
