// Deploying a project: its plan, spec files and referenced files become a spec version, and the
// version becomes the project's current deployment. Idempotent: the same plan deploys once.
import type { CheckedProject } from '../spec/check-project.ts';
import type { Plan } from '../spec/plan.ts';
import type { Sql } from '../store/db.ts';
import { currentDeployment, recordDeployment, saveSpecVersion } from '../store/specs.ts';

export interface DeployResult {
  versionId: number;
  hash: string;
  /** False when this plan was already the current deployment. */
  changed: boolean;
}

export async function deployPlan(sql: Sql, checked: CheckedProject, plan: Plan, referenced: ReadonlyMap<string, string>): Promise<DeployResult> {
  const files: Record<string, string> = {};
  for (const doc of [checked.loaded.config, ...checked.loaded.specs]) if (doc) files[doc.file] = doc.text;
  for (const [path, text] of referenced) files[path] = text;
  const before = await currentDeployment(sql, plan.project);
  const version = await saveSpecVersion(sql, { project: plan.project, hash: plan.hash, plan, files, diagnostics: checked.diagnostics });
  const { created } = await recordDeployment(sql, plan.project, version.id);
  return { versionId: version.id, hash: plan.hash, changed: created && before?.version.hash !== plan.hash };
}

export async function deployedPlan(sql: Sql, project: string): Promise<Plan | undefined> {
  const current = await currentDeployment(sql, project);
  return current ? (current.version.plan as Plan) : undefined;
}
