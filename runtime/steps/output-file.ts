// The `$WEIR_OUTPUT` protocol: a process appends JSON lines `{"metadata": {...}, "outputs": {...}}`;
// they are merged key by key in order, so a later line overrides an earlier one.
import { readFile, stat } from 'node:fs/promises';
import type { StepReport } from '../engine/run-input.ts';
import { StepError } from './step-context.ts';

/** Reads and merges the output file; a missing or empty file is an empty report. */
export async function readOutputFile(path: string, limitBytes: number): Promise<StepReport> {
  const report: StepReport = { metadata: {}, outputs: {} };
  const size = await stat(path).then((s) => s.size, () => 0);
  if (size === 0) return report;
  // Lines may repeat keys, so the merged report can be smaller than the file; but a file many times
  // the limit cannot merge into something that fits, and is not worth reading into memory.
  if (size > limitBytes * 16 + 65_536) {
    throw new StepError(`$WEIR_OUTPUT holds ${size} bytes, far more than the output limit of ${limitBytes}`, { retryable: false });
  }
  const lines = (await readFile(path, 'utf8')).split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const entry = parseLine(line, index + 1);
    Object.assign(report.metadata, entry.metadata);
    Object.assign(report.outputs, entry.outputs);
  });
  return report;
}

function parseLine(line: string, number: number): { metadata?: Record<string, unknown>; outputs?: Record<string, unknown> } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new StepError(`line ${number} of $WEIR_OUTPUT is not JSON: ${(error as Error).message}`, { retryable: false });
  }
  if (!isObject(value)) throw new StepError(`line ${number} of $WEIR_OUTPUT must be a JSON object with \`metadata\` and/or \`outputs\``, { retryable: false });
  for (const key of Object.keys(value)) {
    if (key !== 'metadata' && key !== 'outputs') {
      throw new StepError(`line ${number} of $WEIR_OUTPUT has \`${key}\`: only \`metadata\` and \`outputs\` are read`, { retryable: false });
    }
    if (!isObject(value[key])) throw new StepError(`line ${number} of $WEIR_OUTPUT: \`${key}\` must be an object`, { retryable: false });
  }
  return value as { metadata?: Record<string, unknown>; outputs?: Record<string, unknown> };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
