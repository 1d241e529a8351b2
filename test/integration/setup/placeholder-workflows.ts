// Workflows the harness itself needs (its smoke test), bundled beside the product's workflows so a
// test worker can run either; also the whole bundle while workflows/index.ts does not exist yet.
import { proxyActivities } from '@temporalio/workflow';

export interface HarnessActivities {
  greet(name: string): Promise<string>;
}

const { greet } = proxyActivities<HarnessActivities>({
  startToCloseTimeout: '10s',
  retry: { maximumAttempts: 1 },
});

export async function harnessSmokeWorkflow(name: string): Promise<string> {
  return await greet(name);
}
