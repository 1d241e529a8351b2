// Turns a file's bytes into text for the YAML parser: size guard, strict UTF-8, BOM stripped.

export type Decoded =
  | { kind: 'text'; text: string }
  | { kind: 'too-large'; size: number }
  | { kind: 'invalid-utf8'; line: number; column: number };

const BOM = 0xfeff;
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Decodes `bytes` (or checks a string already decoded) against the size limit. */
export function decodeSource(bytes: Uint8Array | string, maxBytes: number): Decoded {
  if (typeof bytes === 'string') {
    // A string is already text; its UTF-8 size is only counted when it could exceed the limit.
    if (bytes.length * 3 > maxBytes) {
      const size = Buffer.byteLength(bytes, 'utf8');
      if (size > maxBytes) return { kind: 'too-large', size };
    }
    return { kind: 'text', text: bytes.charCodeAt(0) === BOM ? bytes.slice(1) : bytes };
  }
  if (bytes.length > maxBytes) return { kind: 'too-large', size: bytes.length };
  let text: string;
  try {
    text = strict.decode(bytes);
  } catch {
    return { kind: 'invalid-utf8', ...firstBadByte(bytes) };
  }
  return { kind: 'text', text: text.charCodeAt(0) === BOM ? text.slice(1) : text };
}

/** Line and column (UTF-16 code units, after a stripped BOM) of the first byte that breaks UTF-8. */
function firstBadByte(bytes: Uint8Array): { line: number; column: number } {
  const bad = invalidUtf8Offset(bytes);
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < bad; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  // Everything before `bad` is valid, so decoding the line prefix gives its exact length in code units.
  let prefix = lenient.decode(bytes.subarray(lineStart, bad));
  if (prefix.charCodeAt(0) === BOM && lineStart === 0) prefix = prefix.slice(1);
  return { line, column: prefix.length + 1 };
}

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence (RFC 3629). */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) need = 2;
    else if (b >= 0xf0 && b <= 0xf4) need = 3;
    else return i;
    // The second byte's range excludes overlong forms, surrogates and code points above U+10FFFF.
    min = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    if (b === 0xed) max = 0x9f;
    else if (b === 0xf4) max = 0x8f;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < min || c > max) return i;
      min = 0x80;
      max = 0xbf;
    }
    i += need + 1;
  }
  return n;
}
