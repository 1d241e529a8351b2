// Spec versions (the compiled plan beside the source files it came from) and which one is deployed.
import { json, type Queryable, type Sql } from './db.ts';

export interface SpecVersionRow {
  id: number;
  project: string;
  hash: string;
  plan: unknown;
  /** Path → text of every spec file and file they reference. */
  files: Record<string, string>;
  diagnostics: unknown[];
  createdAt: Date;
}

export interface DeploymentRow {
  id: number;
  project: string;
  versionId: number;
  deployedAt: Date;
}

export interface NewSpecVersion {
  project: string;
  hash: string;
  plan: unknown;
  files: Record<string, string>;
  diagnostics?: unknown[];
}

/** Stores a spec version once per hash; saving the same specs again returns the stored id. */
export async function saveSpecVersion(sql: Queryable, version: NewSpecVersion): Promise<{ id: number; created: boolean }> {
  const [inserted] = await sql<{ id: number }[]>`
    insert into spec_versions (project, hash, plan, files, diagnostics)
    values (${version.project}, ${version.hash}, ${json(sql, version.plan)}, ${json(sql, version.files)},
            ${json(sql, version.diagnostics ?? [])})
    on conflict (hash) do nothing
    returning id`;
  if (inserted) return { id: inserted.id, created: true };
  const [existing] = await sql<{ id: number }[]>`select id from spec_versions where hash = ${version.hash}`;
  if (!existing) throw new Error(`spec version ${version.hash} vanished`);
  return { id: existing.id, created: false };
}

export async function getSpecVersion(sql: Queryable, id: number): Promise<SpecVersionRow | null> {
  const [row] = await sql<SpecVersionRow[]>`select * from spec_versions where id = ${id}`;
  return row ?? null;
}

/**
 * Makes a version the project's current one. Deploying the version that is already current adds
 * nothing (a retried deploy), so the deployment history lists real changes only.
 */
export async function recordDeployment(sql: Sql, project: string, versionId: number): Promise<{ deployment: DeploymentRow; created: boolean }> {
  return sql.begin(async (tx) => {
    // Serialises deploys of one project so two concurrent identical deploys add one row.
    await tx`select pg_advisory_xact_lock(hashtext(${'weir.deploy:' + project}))`;
    const [current] = await tx<DeploymentRow[]>`
      select * from deployments where project = ${project} order by id desc limit 1`;
    if (current && current.versionId === versionId) return { deployment: current, created: false };
    const [row] = await tx<DeploymentRow[]>`
      insert into deployments (project, version_id) values (${project}, ${versionId}) returning *`;
    return { deployment: row!, created: true };
  });
}

/** The latest deployment of a project with its spec version, or null before the first deploy. */
export async function currentDeployment(
  sql: Queryable,
  project: string,
): Promise<{ deployment: DeploymentRow; version: SpecVersionRow } | null> {
  const [deployment] = await sql<DeploymentRow[]>`
    select * from deployments where project = ${project} order by id desc limit 1`;
  if (!deployment) return null;
  const version = await getSpecVersion(sql, deployment.versionId);
  if (!version) throw new Error(`deployment ${deployment.id} points at missing spec version ${deployment.versionId}`);
  return { deployment, version };
}
