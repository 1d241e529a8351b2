// Prebuilds the workflow bundle so workers start without bundling (and images build nothing at start-up).
import { writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_BUNDLE, WORKFLOWS_ENTRY } from '../engine/worker.ts';

export async function bundleWorkflows(target = WORKFLOW_BUNDLE): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_ENTRY, logger: quietLogger });
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, code);
  return target;
}

const noop = () => {};
const quietLogger = { trace: noop, debug: noop, info: noop, warn: (m: string) => console.warn(m), error: (m: string) => console.error(m), log: noop };

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await bundleWorkflows();
}
