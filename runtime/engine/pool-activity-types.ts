// What pool semaphores exchange, as types only: workflow code imports this file with `import type`.

/** A run workflow to start when its lease is granted: a run queued behind a pipeline concurrency gate. */
export interface HolderStart {
  workflowType: string;
  taskQueue: string;
  args: unknown[];
}

export interface LeaseRequest {
  /** Unique within the semaphore: `<runId>/<step>` for a pool, the run id for a concurrency gate. */
  holder: string;
  /** The workflow that holds the lease: once it is closed, it holds nothing. */
  workflowId: string;
  /** The limit as currently deployed; the latest request's limit applies. */
  limit: number;
  /** Set for a queued run: granting starts it, instead of signalling a waiting workflow. */
  start?: HolderStart | null;
}

/** What a semaphore carries across continue-as-new. */
export interface SemaphoreState {
  limit: number;
  holders: LeaseRequest[];
  queue: LeaseRequest[];
}

export interface PoolLeaseInput {
  project: string;
  pool: string;
  /** Workflow id of the pool's semaphore. */
  semaphore: string;
  holder: string;
  workflowId: string;
}

export interface PoolActivities {
  /** Queues a lease request with the pool's semaphore, starting the semaphore if it is not running. */
  requestPoolLease(input: PoolLeaseInput): Promise<void>;
  /** Starts a granted run's workflow; a workflow already started (a retry) counts as started. */
  startHolder(input: HolderStart & { workflowId: string }): Promise<void>;
  /** Of these workflow ids, those not running any more (or never started). */
  closedWorkflows(workflowIds: string[]): Promise<string[]>;
}
