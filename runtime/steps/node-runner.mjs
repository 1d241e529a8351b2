// Runs one exported function of a project module in its own process, for `node` steps.
// Usage: node node-runner.mjs <input.json> <result.json>. The input (module URL, export, args, …)
// travels in a file rather than argv so rendered secrets never show in the process list.
import { readFile, writeFile } from 'node:fs/promises';

const [inputPath, resultPath] = process.argv.slice(2);
const input = JSON.parse(await readFile(inputPath, 'utf8'));

/** Lines go to stdout, which the worker streams into the step's log. */
function log(...parts) {
  process.stdout.write(`${parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' ')}\n`);
}

async function call() {
  const mod = await import(input.moduleUrl);
  const fn = mod[input.exportName];
  if (typeof fn !== 'function') {
    return { ok: false, error: { name: 'ExportError', message: `the module has no exported function \`${input.exportName}\`` }, retryable: false };
  }
  const returned = await fn({ args: input.args, partition: input.partition, params: input.params, runId: input.runId, log });
  const result = returned ?? {};
  if (typeof result !== 'object' || Array.isArray(result)) {
    return { ok: false, error: { name: 'ResultError', message: 'the function must return { metadata?, outputs? } or nothing' }, retryable: false };
  }
  return { ok: true, metadata: result.metadata ?? {}, outputs: result.outputs ?? {} };
}

let result;
try {
  result = await call();
} catch (error) {
  if (error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  result = { ok: false, error: { name: error?.name ?? 'Error', message: error?.message ?? String(error) }, retryable: true };
}
let text;
try {
  text = JSON.stringify(result);
} catch (error) {
  text = JSON.stringify({ ok: false, error: { name: 'ResultError', message: `the returned value is not JSON: ${error.message}` }, retryable: false });
}
await writeFile(resultPath, text);
// Exit now: timers or sockets the module left open must not keep the step running. Writes to the
// stdout/stderr pipes are synchronous on Linux, so no log line is lost.
process.exit(result.ok ? 0 : 1);
