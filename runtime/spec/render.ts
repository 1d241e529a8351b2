// Renders diagnostics for people (with the offending line and a caret), for tools (JSON),
// for GitHub Actions (workflow-command annotations) and for code scanning (SARIF 2.1.0).
import { catalogue } from './codes.ts';
import type { Diagnostic } from './diagnostics.ts';

export type Format = 'human' | 'json' | 'github' | 'sarif';
export const FORMATS: readonly Format[] = ['human', 'json', 'github', 'sarif'];

/** Looks up a file's text by its project-relative path, for excerpts. */
export type SourceLookup = (file: string) => string | undefined;

export function renderDiagnostics(
  format: Format,
  diagnostics: readonly Diagnostic[],
  sources: SourceLookup,
  opts: { color?: boolean; toolVersion?: string } = {},
): string {
  switch (format) {
    case 'human':
      return renderHuman(diagnostics, sources, opts.color ?? false);
    case 'json':
      return JSON.stringify({ ok: !diagnostics.some((d) => d.severity === 'error'), diagnostics: diagnostics.map(toJson) }, null, 2) + '\n';
    case 'github':
      return diagnostics.map(renderGithub).join('');
    case 'sarif':
      return JSON.stringify(toSarif(diagnostics, opts.toolVersion ?? '0.0.0'), null, 2) + '\n';
    default: {
      const unknown: never = format;
      throw new Error(`unknown format ${String(unknown)}`);
    }
  }
}

function toJson(d: Diagnostic) {
  const { code, severity, message, file, line, column, endLine, endColumn, path, hint } = d;
  return { code, severity, message, file, line, column, endLine, endColumn, path, ...(hint ? { hint } : {}) };
}

const paint = (on: boolean, code: string, s: string): string => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

function renderHuman(diagnostics: readonly Diagnostic[], sources: SourceLookup, color: boolean): string {
  const lineCache = new Map<string, string[]>();
  const linesOf = (file: string): string[] | undefined => {
    let lines = lineCache.get(file);
    if (!lines) {
      const text = sources(file);
      if (text === undefined) return undefined;
      lines = text.split(/\r?\n/);
      lineCache.set(file, lines);
    }
    return lines;
  };
  const out: string[] = [];
  for (const d of diagnostics) {
    const label = d.severity === 'error' ? paint(color, '1;31', 'error') : paint(color, '1;33', 'warning');
    out.push(`${paint(color, '1', `${d.file}:${d.line}:${d.column}`)}: ${label} ${paint(color, '2', `[${d.code}]`)} ${d.message}`);
    const source = linesOf(d.file)?.[d.line - 1];
    if (source !== undefined) out.push(...excerpt(source, d, color));
    if (d.path) out.push(`  ${paint(color, '2', `at ${d.path}`)}`);
    if (d.hint) out.push(`  ${paint(color, '36', `hint: ${d.hint}`)}`);
    out.push('');
  }
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  out.push(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  return out.join('\n') + '\n';
}

const MAX_EXCERPT = 160;

function excerpt(source: string, d: Diagnostic, color: boolean): string[] {
  // Tabs would misalign the caret, so they are shown as single spaces.
  let text = source.replace(/\t/g, ' ');
  let start = d.column - 1;
  const width = Math.max(1, d.endLine === d.line ? d.endColumn - d.column : text.length - start);
  let shift = 0;
  if (text.length > MAX_EXCERPT) {
    shift = Math.max(0, Math.min(start - 40, text.length - MAX_EXCERPT));
    text = (shift > 0 ? '…' : '') + text.slice(shift, shift + MAX_EXCERPT);
    start = start - shift + (shift > 0 ? 1 : 0);
  }
  const gutter = String(d.line);
  const pad = ' '.repeat(gutter.length);
  const caret = ' '.repeat(Math.max(0, start)) + '^'.repeat(Math.min(width, Math.max(1, text.length - start)));
  return [`${paint(color, '2', `${gutter} |`)} ${text}`, `${paint(color, '2', `${pad} |`)} ${paint(color, '1;31', caret)}`];
}

// Workflow commands: https://docs.github.com/actions/reference/workflow-commands-for-github-actions
const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

function renderGithub(d: Diagnostic): string {
  const command = d.severity === 'error' ? 'error' : 'warning';
  const props = [
    `file=${escapeProperty(d.file)}`,
    `line=${d.line}`,
    `col=${d.column}`,
    `endLine=${d.endLine}`,
    `endColumn=${d.endColumn}`,
    `title=${escapeProperty(`weir ${d.code}`)}`,
  ].join(',');
  return `::${command} ${props}::${escapeData(d.message + (d.hint ? `\n${d.hint}` : ''))}\n`;
}

function toSarif(diagnostics: readonly Diagnostic[], version: string) {
  const used = [...new Set(diagnostics.map((d) => d.code))].sort();
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'weir',
            version,
            rules: used.map((code) => ({
              id: code,
              name: code,
              shortDescription: { text: catalogue[code].summary },
              defaultConfiguration: { level: catalogue[code].severity === 'error' ? 'error' : 'warning' },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: diagnostics.map((d) => ({
          ruleId: d.code,
          ruleIndex: used.indexOf(d.code),
          level: d.severity === 'error' ? 'error' : 'warning',
          message: { text: d.message + (d.hint ? ` (${d.hint})` : '') },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: d.file, uriBaseId: '%SRCROOT%' },
                region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn },
              },
              logicalLocations: d.path ? [{ fullyQualifiedName: d.path }] : [],
            },
          ],
        })),
      },
    ],
  };
}
