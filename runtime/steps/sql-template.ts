// A spec's SQL snippet (a check's `where`) as a `postgres` fragment: the text is trusted spec text,
// written by the project's owner like any SQL file, and every `${…}` in it becomes a bind parameter.
import type { PendingQuery, Row, Sql } from 'postgres';
import { parseTemplate, renderValue } from '../spec/expressions.ts';
import type { Values } from '../spec/expressions.ts';
import { StepError } from './step-context.ts';

export function sqlFragment(sql: Sql, template: string, values: Values): PendingQuery<Row[]> {
  const { parts, problems } = parseTemplate(template);
  const problem = problems[0];
  if (problem) throw new StepError(`invalid expression in \`${template}\`: ${problem.message}`, { retryable: false });
  // Called as a tag with our own strings array: the text pieces are the template's strings and each
  // reference a value, which the driver sends as a parameter. Nothing is interpolated.
  const strings: string[] = [''];
  const params: unknown[] = [];
  for (const part of parts) {
    if (part.kind === 'text') strings[strings.length - 1] += part.text;
    else {
      params.push(renderValue(`\${${part.ref.text}}`, values).value);
      strings.push('');
    }
  }
  const tag = Object.assign(strings, { raw: [...strings] }) as unknown as TemplateStringsArray;
  return sql(tag, ...(params as never[]));
}
