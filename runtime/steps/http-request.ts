// One HTTP request of a step, with the step's signal and the resource's timeout, body read and sized.
import { StepError, cancellation } from './step-context.ts';

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Per request, from the resource; the step's signal applies regardless. */
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  bytes: number;
  durationMs: number;
  contentType: string;
  text: string;
  /** The parsed body when it is JSON. */
  json?: unknown;
}

export async function sendRequest(request: HttpRequest, signal: AbortSignal): Promise<HttpResponse> {
  const signals = request.timeoutMs === undefined ? [signal] : [signal, AbortSignal.timeout(request.timeoutMs)];
  const started = performance.now();
  let res: Response;
  let text: string;
  try {
    const init: RequestInit = { method: request.method, headers: request.headers, signal: AbortSignal.any(signals), redirect: 'follow' };
    if (request.body !== undefined) init.body = request.body;
    res = await fetch(request.url, init);
    text = await res.text();
  } catch (error) {
    if (signal.aborted) throw cancellation(signal);
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    const message = (error as Error).name === 'TimeoutError' ? `no answer within ${request.timeoutMs} ms` : (cause ?? (error as Error).message);
    throw new StepError(`${request.method} ${request.url} failed: ${message}`, { retryable: true, cause: error });
  }
  const contentType = res.headers.get('content-type') ?? '';
  const response: HttpResponse = {
    status: res.status,
    bytes: Buffer.byteLength(text),
    durationMs: Math.round(performance.now() - started),
    contentType,
    text,
  };
  if (/\bjson\b/i.test(contentType) && text.trim() !== '') {
    try {
      response.json = JSON.parse(text);
    } catch {
      // Declared JSON but is not: keep the text, the condition on `json` simply will not match.
    }
  }
  return response;
}
