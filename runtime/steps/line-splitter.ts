// Turns a byte stream into text lines for the event log: UTF-8 safe across chunk boundaries, and
// long lines cut at a cap so one runaway line cannot become one enormous event.

/** Longest line passed on, in UTF-16 code units; longer lines arrive as several. */
export const MAX_LINE_CHARS = 8192;

export interface LineSplitter {
  push(chunk: Uint8Array): void;
  /** Flushes the last line when the stream did not end with a newline. */
  end(): void;
}

export function createLineSplitter(onLine: (line: string) => void, maxChars = MAX_LINE_CHARS): LineSplitter {
  const decoder = new TextDecoder('utf-8'); // `stream: true` keeps a split multi-byte character for the next chunk
  let pending = '';
  const emit = (line: string): void => {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    for (const piece of cut(text, maxChars)) onLine(piece);
  };
  const drain = (): void => {
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      emit(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
    }
    // A line still growing past the cap is passed on now rather than held in memory.
    while (pending.length > maxChars) {
      const at = safeCut(pending, maxChars);
      onLine(pending.slice(0, at));
      pending = pending.slice(at);
    }
  };
  return {
    push(chunk) {
      pending += decoder.decode(chunk, { stream: true });
      drain();
    },
    end() {
      pending += decoder.decode();
      drain();
      if (pending !== '') emit(pending);
      pending = '';
    },
  };
}

function cut(text: string, maxChars: number): string[] {
  if (text.length <= maxChars) return [text];
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > maxChars) {
    const at = safeCut(rest, maxChars);
    pieces.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  if (rest !== '') pieces.push(rest);
  return pieces;
}

/** `at`, moved back one when it would split a surrogate pair. */
function safeCut(text: string, at: number): number {
  const c = text.charCodeAt(at - 1);
  return c >= 0xd800 && c <= 0xdbff ? at - 1 : at;
}
