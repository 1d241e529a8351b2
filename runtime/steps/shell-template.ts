// `shell:` is the one opt-in injection surface of command steps: the user's text goes to `/bin/sh -c`.
// Expression values still never become shell syntax: each `${…}` is passed in an environment variable
// `WEIR_EXPR_<n>` and the text refers to it, quoted for where it stands, so the shell expands it as
// one word and never parses it (`$(…)`, `;`, backticks in a value stay text).
import { parseTemplate, renderString } from '../spec/expressions.ts';
import { StepError } from './step-context.ts';
import type { Values } from '../spec/expressions.ts';

export function renderShell(template: string, values: Values): { script: string; env: Record<string, string>; secrets: string[] } {
  const { parts, problems } = parseTemplate(template);
  const problem = problems[0];
  if (problem) throw new StepError(`invalid expression in \`shell\`: ${problem.message}`, { retryable: false });
  const env: Record<string, string> = {};
  const secrets: string[] = [];
  let script = '';
  let quote: Quote = 'none';
  for (const part of parts) {
    if (part.kind === 'text') {
      script += part.text;
      quote = scanQuotes(part.text, quote);
      continue;
    }
    const rendered = renderString(`\${${part.ref.text}}`, values);
    secrets.push(...rendered.secrets);
    const name = `WEIR_EXPR_${Object.keys(env).length + 1}`;
    env[name] = rendered.value;
    script += reference(name, quote);
  }
  return { script, env, secrets };
}

type Quote = 'none' | 'single' | 'double';

/** The variable reference that expands to exactly the value, wherever it stands. */
function reference(name: string, quote: Quote): string {
  switch (quote) {
    case 'none':
      return `"\${${name}}"`;
    case 'double':
      return `\${${name}}`;
    case 'single':
      // Single quotes expand nothing: close them, expand in double quotes, reopen.
      return `'"\${${name}}"'`;
    default:
      return quote satisfies never;
  }
}

/**
 * The quoting state after `text`, starting in `quote`. Tracks `'`, `"` and backslash escapes only;
 * here-documents and `$'…'` are not followed, so inside them a reference gets the quoting of the
 * surrounding text (still expanded by the shell as a variable, never parsed).
 */
function scanQuotes(text: string, quote: Quote): Quote {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === 'single') {
      if (c === "'") quote = 'none';
    } else if (c === '\\') {
      i++;
    } else if (c === '"') {
      quote = quote === 'double' ? 'none' : 'double';
    } else if (c === "'" && quote === 'none') {
      quote = 'single';
    }
  }
  return quote;
}
