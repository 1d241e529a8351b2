// Parses the first YAML document of a text with the `yaml` package, guarding depth and document count.
import { Composer, Lexer, Parser, type CST, type Document, type YAMLError } from 'yaml';

type Token = CST.Token;

export type Composed =
  /** The text holds no document at all (empty, or only comments). */
  | { kind: 'empty' }
  | { kind: 'document'; doc: Document.Parsed; error: SyntaxProblem | undefined; secondDocumentAt: number | undefined }
  /** Nesting passed the limit at `offset`; parsing stopped there, before anything recursive ran. */
  | { kind: 'too-deep'; offset: number };

export interface SyntaxProblem {
  detail: string;
  start: number;
  end: number;
}

// Core schema only (YAML 1.2: no yes/no booleans, no timestamps). Merge keys and duplicate keys are
// handled by our own value builder, which counts merges toward the alias cap and reports every duplicate.
const composerOptions = { schema: 'core', version: '1.2', merge: false, uniqueKeys: false, keepSourceTokens: false } as const;

/**
 * Lexes and parses token by token so the CST parser's stack depth can be checked before the (recursive)
 * composer ever sees the tokens: the parser itself keeps an explicit stack, so deep input cannot
 * overflow it, and we stop at the first token that goes too deep instead of reading 100,000 brackets.
 */
export function composeYaml(text: string, maxDepth: number): Composed {
  // The parser reports each problem as an Error, and capturing a stack trace costs microseconds: a file of
  // a million stray `]` would take seconds. We never show those stacks, so none are captured while parsing.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return compose(text, maxDepth);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

function compose(text: string, maxDepth: number): Composed {
  const parser = new Parser();
  const composer = new Composer(composerOptions);
  // The stack holds the document, each open collection, and at most one pending scalar on top.
  const stackLimit = maxDepth + 2;
  let first: Document.Parsed | undefined;
  let documents = 0;
  let secondDocumentAt: number | undefined;
  const take = (docs: Iterable<Document.Parsed>): void => {
    for (const doc of docs) first ??= doc;
  };
  let broken = false;
  // Returns false once a second document starts: only the first is composed, the rest is not read.
  const feed = (tokens: Iterable<Token>): boolean => {
    for (const token of tokens) {
      if (token.type === 'document' && ++documents > 1) {
        secondDocumentAt = token.offset;
        return false;
      }
      take(composer.next(token));
      // Text the parser cannot place outside any document: only the first error is reported, so the
      // rest (say a megabyte of stray `]`, each costing an error object) need not be read.
      if (token.type === 'error') broken = true;
    }
    return true;
  };
  for (const lexeme of new Lexer().lex(text)) {
    if (!feed(parser.next(lexeme)) || broken) break;
    if (parser.stack.length > stackLimit) {
      // stack[k] is the collection k levels deep; the one just past the limit is what we report.
      return { kind: 'too-deep', offset: parser.stack[maxDepth + 1]?.offset ?? parser.offset };
    }
  }
  if (secondDocumentAt === undefined) feed(parser.end());
  take(composer.end(false, text.length));
  if (!first) return { kind: 'empty' };
  return { kind: 'document', doc: first, error: firstError(first.errors), secondDocumentAt };
}

function firstError(errors: readonly YAMLError[]): SyntaxProblem | undefined {
  // Later parser errors are usually echoes of the first one, so only the first is worth reporting.
  const e = errors[0];
  if (!e) return undefined;
  return { detail: describeYamlError(e.code, e.message), start: e.pos[0], end: Math.max(e.pos[1], e.pos[0] + 1) };
}

const TOKEN_WORDS: Record<string, string> = {
  'map-value-ind': '`:`',
  'seq-item-ind': '`-`',
  'explicit-key-ind': '`?`',
  'flow-map-start': '`{`',
  'flow-map-end': '`}`',
  'flow-seq-start': '`[`',
  'flow-seq-end': '`]`',
  'flow-error-end': 'end of a `[...]` or `{...}`',
  comma: '`,`',
  scalar: 'value',
  'double-quoted-scalar': 'quoted value',
  'single-quoted-scalar': 'quoted value',
  'block-scalar': 'block text',
  anchor: 'anchor',
  tag: 'tag',
  alias: 'alias',
  comment: 'comment',
  'doc-start': '`---`',
  'doc-end': '`...`',
};

/** The parser's message in the words of someone writing a spec, without parser internals. */
export function describeYamlError(code: string, message: string): string {
  switch (code) {
    case 'BLOCK_AS_IMPLICIT_KEY':
      return 'a mapping cannot start on the same line as its key; put it on the next line, indented';
    case 'MULTILINE_IMPLICIT_KEY':
      return 'a key must fit on one line; is a `:` missing, or is the indentation wrong?';
    case 'TAB_AS_INDENT':
      return 'tabs cannot be used for indentation; use spaces';
    case 'BAD_INDENT':
      return `wrong indentation: ${lowerFirst(message)}`;
    case 'MISSING_CHAR':
      return lowerFirst(message).replace(/^missing closing (.)quote$/, 'missing closing $1 quote');
    case 'KEY_OVER_1024_CHARS':
      return 'a key may be at most 1024 characters long';
    case 'MULTIPLE_ANCHORS':
    case 'MULTIPLE_TAGS':
    case 'BAD_PROP_ORDER':
    case 'BAD_ALIAS':
    case 'ALIAS_PROPS':
      return lowerFirst(message);
    default:
      return lowerFirst(
        message
          .replace(/ in YAML (?:stream|document)(?::.*)?$/s, '')
          .replace(/\b([a-z]+(?:-[a-z]+)+|comma|scalar|anchor|tag|alias|comment) token\b/g, (_, t: string) => TOKEN_WORDS[t] ?? t)
          .replace(/\bUnexpected scalar at node end\b/, 'Unexpected value after the end of a value'),
      );
  }
}

function lowerFirst(s: string): string {
  return s.length > 0 ? s[0]!.toLowerCase() + s.slice(1) : s;
}
