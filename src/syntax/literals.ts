// Literal conversions shared by the lexer and the control-line reader: C's
// strtoull(…, 0) for integer constants, DTrace's escape decoding (stresc2chr)
// for strings and character constants, and the value of a character constant.

/** Result of reading an integer the way strtoull(s, &end, 0) does. */
export interface ParsedInt {
  readonly value: bigint;
  readonly base: 8 | 10 | 16;
  /** Index in the text where conversion stopped. */
  readonly end: number;
  /** The value did not fit in 64 bits (strtoull's ERANGE). */
  readonly overflow: boolean;
}

const UINT64_MAX = (1n << 64n) - 1n;

function digitValue(c: string): number {
  const code = c.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return 99;
}

function isHexDigit(c: string | undefined): boolean {
  return c !== undefined && digitValue(c) < 16;
}

/**
 * strtoull reads an unsigned integer with C's base-0 rules starting at `start`:
 * 0x/0X prefix for hex, a leading 0 for octal, decimal otherwise.
 */
export function strtoull(text: string, start = 0): ParsedInt {
  let i = start;
  let base: 8 | 10 | 16 = 10;
  if (text[i] === '0') {
    if ((text[i + 1] === 'x' || text[i + 1] === 'X') && isHexDigit(text[i + 2])) {
      base = 16;
      i += 2;
    } else {
      base = 8;
    }
  }
  let value = 0n;
  let overflow = false;
  const digitsStart = i;
  for (; i < text.length; i++) {
    const d = digitValue(text[i] as string);
    if (d >= base) break;
    value = value * BigInt(base) + BigInt(d);
    if (value > UINT64_MAX) overflow = true;
  }
  if (i === digitsStart && base !== 8) return { value: 0n, base, end: start, overflow: false };
  return { value: overflow ? UINT64_MAX : value, base, end: i, overflow };
}

/** ESCAPES maps the single-letter escapes stresc2chr knows. */
const ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '"': '"', '\\': '\\',
};

function isOctal(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '7';
}

/** readHexEscape consumes every hex digit after `\x`, as stresc2chr does (no length limit). */
function readHexEscape(s: string, i: number): { char: string; next: number } {
  let x = 0;
  let j = i;
  while (j < s.length && isHexDigit(s[j])) {
    x = (x * 16 + digitValue(s[j] as string)) & 0xff;
    j++;
  }
  return { char: String.fromCharCode(x), next: j };
}

/** readOctalEscape consumes up to three octal digits. */
function readOctalEscape(s: string, i: number): { char: string; next: number } {
  let c = 0;
  let j = i;
  while (j < i + 3 && isOctal(s[j])) {
    c = c * 8 + (s.charCodeAt(j) - 48);
    j++;
  }
  return { char: String.fromCharCode(c & 0xff), next: j };
}

/**
 * decodeEscapes converts C escapes like stresc2chr: \ooo and \x.. give the
 * byte as a char U+0000..U+00FF; an unknown escape such as \q or \' keeps its
 * backslash, exactly as DTrace does.
 */
export function decodeEscapes(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      i++;
      continue;
    }
    const e = s[i + 1] as string;
    if (isOctal(e)) {
      const r = readOctalEscape(s, i + 1);
      out += r.char;
      i = r.next;
    } else if (e === 'x') {
      const r = readHexEscape(s, i + 2);
      out += r.char;
      i = r.next;
    } else {
      out += ESCAPES[e] ?? '\\' + e;
      i += 2;
    }
  }
  return out;
}

/** cString truncates at the first NUL, since DTrace keeps string constants as C strings. */
export function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

/**
 * charBytes gives the bytes of a decoded character constant: chars up to
 * U+00FF are single bytes (escapes produce those), anything else is UTF-8.
 */
export function charBytes(decoded: string): number[] {
  const bytes: number[] = [];
  for (const ch of decoded) {
    const code = ch.codePointAt(0) as number;
    if (code <= 0xff) bytes.push(code);
    else bytes.push(...Buffer.from(ch, 'utf8'));
  }
  return bytes;
}

/** charValue packs the bytes with the first one most significant, as DTrace does on little-endian. */
export function charValue(bytes: readonly number[]): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}
