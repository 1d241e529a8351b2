// Follows a run until it finishes: on a terminal a live board of steps with a progress bar, otherwise
// one plain line per step transition (what CI logs want).
import type { Sql } from '../store/db.ts';
import { getRun, type RunRow } from '../store/runs.ts';
import { listSteps } from '../store/steps.ts';

const FINAL = new Set(['succeeded', 'failed', 'cancelled']);
const ICON: Record<string, string> = { pending: '·', running: '▶', succeeded: '✓', failed: '✗', skipped: '↷', cancelled: '■' };

export async function followRun(sql: Sql, runId: string, out: NodeJS.WriteStream, pollMs = 200): Promise<RunRow> {
  const tty = out.isTTY === true;
  const seen = new Map<string, string>();
  let drawn = 0;
  for (;;) {
    const [run, steps] = await Promise.all([getRun(sql, runId), listSteps(sql, runId)]);
    if (!run) throw new Error(`run ${runId} disappeared`);
    if (tty) {
      const done = steps.filter((s) => FINAL.has(s.status) || s.status === 'skipped').length;
      const width = 30;
      const filled = steps.length ? Math.round((done / steps.length) * width) : 0;
      const lines = [
        `${run.pipeline} ${run.status}  [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${steps.length}`,
        ...steps.map((s) => `  ${ICON[s.status] ?? '?'} ${s.name}${duration(s.startedAt, s.finishedAt)}${s.attempts > 1 ? ` (attempt ${s.attempts})` : ''}${s.error && s.status !== 'succeeded' ? ` — ${s.error}` : ''}`),
      ];
      if (drawn) out.write(`\x1b[${drawn}A\x1b[J`);
      out.write(lines.join('\n') + '\n');
      drawn = lines.length;
    } else {
      for (const s of steps) {
        const key = `${s.status}:${s.attempts}`;
        if (seen.get(s.name) === key) continue;
        seen.set(s.name, key);
        if (s.status === 'pending') continue;
        out.write(`${s.status.padEnd(9)} ${s.name}${duration(s.startedAt, s.finishedAt)}${s.attempts > 1 ? ` (attempt ${s.attempts})` : ''}${s.error && s.status !== 'succeeded' ? ` — ${s.error}` : ''}\n`);
      }
    }
    if (FINAL.has(run.status)) {
      out.write(`run ${run.id} ${run.status}${run.error ? `: ${run.error}` : ''}\n`);
      return run;
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

function duration(start: Date | null, end: Date | null): string {
  if (!start) return '';
  const ms = (end ?? new Date()).getTime() - start.getTime();
  return ` ${ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(1)}s`}`;
}
