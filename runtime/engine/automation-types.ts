// The automation loop's activity and input, as types only: workflow code imports this file with `import type`.

export interface AutomationLoopInput {
  project: string;
  everyMs: number;
  /** Ticks done by earlier runs of the loop (continue-as-new carries it). */
  ticks?: number;
  /** Ticks per workflow run before continuing as new; keeps history small. */
  continueAsNewEvery?: number;
}

export interface AutomationTickResult {
  evaluated: number;
  started: string[];
  freshnessViolations: number;
}

export interface AutomationActivities {
  runAutomationTick(input: { project: string }): Promise<AutomationTickResult>;
}
