// Secret redaction for everything a step context emits: log lines, error messages, metadata.
import { redact } from '../spec/expressions.ts';
import type { Values } from '../spec/expressions.ts';

export interface Redactor {
  /** Adds secrets learned later (e.g. from rendering); empty strings are ignored. */
  add(secrets: Iterable<string>): void;
  redact(text: string): string;
  /** Redacts every string inside a JSON value (keys included), returning a new value. */
  redactJson<T>(value: T): T;
}

export function createRedactor(secrets: Iterable<string> = []): Redactor {
  // One array for the redactor's life: `redact` caches its pattern per array and notices growth.
  const known: string[] = [];
  const add = (more: Iterable<string>): void => {
    for (const s of more) if (s !== '' && !known.includes(s)) known.push(s);
  };
  add(secrets);
  const redactText = (text: string): string => redact(text, known);
  return {
    add,
    redact: redactText,
    redactJson<T>(value: T): T {
      if (known.length === 0 || value === undefined) return value;
      return JSON.parse(redactText(JSON.stringify(value))) as T;
    },
  };
}

/** Every secret value a run's expressions can reach. */
export function secretsOf(values: Values): string[] {
  return Object.values(values.secrets ?? {}).filter((s): s is string => typeof s === 'string' && s !== '');
}
