// The tokens of an asset selection: words, parentheses, commas and `+` with its optional depth.

export type Token =
  | { kind: 'word'; text: string; offset: number; length: number }
  | { kind: '(' | ')' | ','; offset: number; length: number }
  /** `+`, with a depth when digits are written against it: `2+name` (before) or `name+2` (after). */
  | { kind: 'plus'; depth?: number; side?: 'before' | 'after'; offset: number; length: number }
  | { kind: 'end'; offset: number; length: number };

/** A problem found while reading a selection; `parseSelection` turns it into its one positioned problem. */
export class SelectionSyntaxError extends Error {
  constructor(
    readonly offset: number,
    readonly length: number,
    message: string,
  ) {
    super(message);
  }
}

/** Word characters: anything but space, parentheses, comma, plus and quotes. */
function isWordChar(c: number): boolean {
  return !(c === 32 || c === 9 || c === 10 || c === 13 || c === 40 || c === 41 || c === 44 || c === 43 || c === 34 || c === 39 || Number.isNaN(c));
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** The tokens of `text`, ending with an `end` token; throws SelectionSyntaxError on a quote. */
export function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) i++;
    else if (c === 40 || c === 41 || c === 44) {
      tokens.push({ kind: text[i] as '(' | ')' | ',', offset: i, length: 1 });
      i++;
    } else if (c === 43) i = lexPlus(text, i, tokens);
    else if (c === 34 || c === 39) {
      throw new SelectionSyntaxError(i, 1, `unexpected quote at ${at(i)}: names, groups and tags are written without quotes`);
    } else {
      let j = i + 1;
      while (isWordChar(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) === 43 && allDigits(text, i, j)) {
        tokens.push({ kind: 'plus', depth: Number(text.slice(i, j)), side: 'before', offset: i, length: j + 1 - i });
        i = j + 1;
      } else {
        tokens.push({ kind: 'word', text: text.slice(i, j), offset: i, length: j - i });
        i = j;
      }
    }
  }
  tokens.push({ kind: 'end', offset: text.length, length: 0 });
  return tokens;
}

/** `+`, or `+2` when the digits stand alone (`name+2`, not `+2020_events`). */
function lexPlus(text: string, i: number, tokens: Token[]): number {
  let j = i + 1;
  while (isDigit(text.charCodeAt(j))) j++;
  if (j > i + 1 && !isWordChar(text.charCodeAt(j))) {
    tokens.push({ kind: 'plus', depth: Number(text.slice(i + 1, j)), side: 'after', offset: i, length: j - i });
    return j;
  }
  tokens.push({ kind: 'plus', offset: i, length: 1 });
  return i + 1;
}

function allDigits(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (!isDigit(text.charCodeAt(k))) return false;
  return true;
}

/** A 1-based character position for messages; the diagnostic's caret shows the same place. */
export const at = (offset: number): string => `character ${offset + 1}`;
