// What the integration globalSetup hands to test files through vitest's provide/inject.
export interface IntegrationEnv {
  /** PostgreSQL for the suite: `DATABASE_URL` when set, else a throwaway embedded cluster. */
  databaseUrl: string;
  /** The tuned Temporal dev server, `127.0.0.1:<port>`. */
  temporalAddress: string;
  namespace: string;
  /** The workflow code bundled once for the whole suite: pass as `workflowBundle: { codePath }`. */
  workflowBundlePath: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    integration: IntegrationEnv;
  }
}
