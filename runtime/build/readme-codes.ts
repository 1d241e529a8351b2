// Writes the diagnostic catalogue into README.md between the codes markers (npm run gen:docs); a test checks it is current.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { catalogue } from '../spec/codes.ts';

const readme = fileURLToPath(new URL('../../README.md', import.meta.url));
const START = '<!-- codes:start -->';
const END = '<!-- codes:end -->';

export function codesTable(): string {
  const rows = Object.entries(catalogue).map(([code, e]) => `| \`${code}\` | ${e.severity} | ${e.summary.replace(/\|/g, '\\|')} |`);
  return ['| code | severity | reported when |', '|---|---|---|', ...rows].join('\n');
}

export function readmeWithCodes(text: string): string {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the ${START} … ${END} markers`);
  return `${text.slice(0, start + START.length)}\n${codesTable()}\n${text.slice(end)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(readme, readmeWithCodes(readFileSync(readme, 'utf8')));
}
