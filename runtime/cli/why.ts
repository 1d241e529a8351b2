// `weir why <asset>`: the automation trail of an asset, latest first — what was decided, why, and which run started.
import { evaluationTrail, type EvaluationRow } from '../store/automation.ts';
import { withStack } from './runs.ts';
import { UsageError } from './usage-error.ts';

export interface WhyOptions {
  project: string;
  partition?: string;
  format: 'text' | 'json';
  limit?: string;
}

export async function whyCommand(asset: string, opts: WhyOptions): Promise<void> {
  const limit = opts.limit === undefined ? 20 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError('--limit must be a whole number from 1 to 1000');
  await withStack(opts.project, async (stack, project) => {
    const rows = await evaluationTrail(stack.sql, project, asset, { partition: opts.partition, limit });
    process.stdout.write(opts.format === 'json' ? JSON.stringify(rows.map(whyJson), null, 2) + '\n' : whyText(asset, rows));
  });
}

function whyJson(r: EvaluationRow) {
  return { asset: r.asset, partition: r.partition === '' ? null : r.partition, evaluatedAt: r.evaluatedAt.toISOString(), action: r.action, reasons: r.reasons, runId: r.runId };
}

function whyText(asset: string, rows: EvaluationRow[]): string {
  if (rows.length === 0) return `no automation evaluations of ${asset} yet (does it declare \`automation\`, and is \`weir dev\` running?)\n`;
  return rows
    .map((r) => {
      const head = `${r.evaluatedAt.toISOString()}  ${r.action.padEnd(4)}  ${r.asset}${r.partition ? ` [${r.partition}]` : ''}${r.runId ? `  → run ${r.runId}` : ''}`;
      return [head, ...r.reasons.map((x) => `    ${x}`)].join('\n');
    })
    .join('\n') + '\n';
}
