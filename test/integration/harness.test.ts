import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import type { harnessSmokeWorkflow } from './setup/placeholder-workflows.ts';
import { createTestWorker, integrationEnv } from './setup/harness.ts';

describe('integration harness', () => {
  const env = integrationEnv();
  const sql = postgres(env.databaseUrl, { max: 1, onnotice: () => undefined });
  afterAll(() => sql.end());

  it('runs a workflow from the shared bundle that calls an activity on the dev server', async () => {
    const { worker, client, taskQueue, close } = await createTestWorker({
      activities: { greet: async (name: string) => `hello ${name}` },
    });
    try {
      const result = await worker.runUntil(
        client.workflow.execute<typeof harnessSmokeWorkflow>('harnessSmokeWorkflow', {
          taskQueue,
          workflowId: `harness-smoke-${taskQueue}`,
          args: ['weir'],
        }),
      );
      expect(result).toBe('hello weir');
    } finally {
      await close();
    }
  });

  it('answers a query on the suite database', async () => {
    const [row] = await sql<{ one: number }[]>`select 1 as one`;
    expect(row?.one).toBe(1);
  });
});
