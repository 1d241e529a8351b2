// `http` steps: one request (to a resource's base URL or an absolute URL), optionally re-sent until an
// asynchronous API reports a condition.
import { isDeepStrictEqual } from 'node:util';
import type { StepReport } from '../engine/run-input.ts';
import type { HttpCondition, HttpStep } from '../spec/generated/types.ts';
import { renderString, renderValue } from '../spec/expressions.ts';
import { parseDuration } from '../spec/durations.ts';
import { abortableSleep } from './abortable-sleep.ts';
import { defineExecutor } from './guard-step.ts';
import { sendRequest } from './http-request.ts';
import type { HttpRequest, HttpResponse } from './http-request.ts';
import { readJsonPath } from './json-path.ts';
import { StepError } from './step-context.ts';
import type { StepContext } from './step-context.ts';

export const DEFAULT_POLL_EVERY_MS = 5_000;
/** JSON bodies up to this many characters appear whole in metadata; longer ones as a cut text. */
const PREVIEW_CHARS = 2_048;

export const httpStep = defineExecutor<HttpStep>('http', async (ctx, spec) => {
  const request = buildRequest(ctx, spec);
  const started = performance.now();
  let response = await sendRequest(request, ctx.signal);
  let polls = 1;
  if (spec.poll) {
    const every = durationOf(spec.poll.every, 'poll.every') ?? DEFAULT_POLL_EVERY_MS;
    const timeout = durationOf(spec.poll.timeout, 'poll.timeout');
    while (!meets(response, spec.poll.until)) {
      expectStatus(spec, request, response);
      const elapsed = performance.now() - started;
      if (timeout !== undefined && elapsed + every > timeout) {
        throw new StepError(`${request.method} ${request.url}: the condition did not hold within ${spec.poll.timeout} (${polls} polls, last status ${response.status})`, { retryable: false });
      }
      ctx.heartbeat({ polls, status: response.status });
      await abortableSleep(every, ctx.signal);
      response = await sendRequest(request, ctx.signal);
      polls++;
    }
  }
  expectStatus(spec, request, response);
  return report(request, response, polls, Math.round(performance.now() - started), spec.poll !== undefined);
});

function buildRequest(ctx: StepContext, spec: HttpStep): HttpRequest {
  const resource = spec.resource === undefined ? undefined : httpResource(ctx, spec.resource);
  const render = (t: string): string => renderString(t, ctx.values).value;
  let url: string;
  if (spec.url !== undefined) url = render(spec.url);
  else if (resource) url = joinUrl(render(resource.base_url), spec.path === undefined ? '' : render(spec.path));
  else throw new StepError('an http step needs `url`, or `resource` with an optional `path`', { retryable: false });
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...resource?.headers, ...spec.headers })) headers[k.toLowerCase()] = render(v);
  const request: HttpRequest = { method: spec.method ?? 'GET', url, headers };
  if (spec.json !== undefined) {
    request.body = JSON.stringify(renderValue(spec.json, ctx.values).value);
    headers['content-type'] ??= 'application/json';
  } else if (spec.body !== undefined) request.body = render(spec.body);
  const timeoutMs = durationOf(resource?.timeout, 'timeout');
  if (timeoutMs !== undefined) request.timeoutMs = timeoutMs;
  return request;
}

function httpResource(ctx: StepContext, name: string): { base_url: string; headers?: Record<string, string>; timeout?: string } {
  const resource = ctx.resources[name];
  if (!resource || resource.kind !== 'http' || typeof resource.base_url !== 'string') {
    throw new StepError(`resource \`${name}\` is not an http resource with a base_url`, { retryable: false });
  }
  return resource as { base_url: string; headers?: Record<string, string>; timeout?: string };
}

function joinUrl(base: string, path: string): string {
  if (path === '') return base;
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

function durationOf(text: string | undefined, field: string): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined) throw new StepError(`\`${field}\` is not a duration: \`${text}\``, { retryable: false });
  return ms;
}

function meets(response: HttpResponse, until: HttpCondition): boolean {
  if (until.status && !until.status.includes(response.status)) return false;
  if (until.json) {
    const { found, value } = readJsonPath(response.json, until.json.path);
    if (!found || !isDeepStrictEqual(value, until.json.equals)) return false;
  }
  return true;
}

function expectStatus(spec: HttpStep, request: HttpRequest, response: HttpResponse): void {
  const ok = spec.expect ? spec.expect.status.includes(response.status) : response.status >= 200 && response.status < 300;
  if (ok) return;
  // Server trouble and throttling may pass; other client errors will answer the same next time.
  const retryable = response.status >= 500 || response.status === 429 || response.status === 408;
  const body = response.text.length > 500 ? `${response.text.slice(0, 500)}…` : response.text;
  throw new StepError(`${request.method} ${request.url} answered ${response.status}${body ? `: ${body}` : ''}`, { retryable });
}

function report(request: HttpRequest, response: HttpResponse, polls: number, durationMs: number, polled: boolean): StepReport {
  const metadata: Record<string, unknown> = {
    method: request.method,
    url: request.url,
    status: response.status,
    bytes: response.bytes,
    duration_ms: durationMs,
  };
  if (polled) metadata.polls = polls;
  if (response.json !== undefined) {
    metadata.body_preview = response.text.length <= PREVIEW_CHARS ? response.json : `${response.text.slice(0, PREVIEW_CHARS)}…`;
  }
  // The parsed body is an output so later steps can use `${steps.<x>.outputs.json.id}`; a body too
  // large for the output limit fails the step with a clear message rather than being cut.
  const outputs: Record<string, unknown> = { status: response.status };
  if (response.json !== undefined) outputs.json = response.json;
  return { metadata, outputs };
}
