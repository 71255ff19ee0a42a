// ByteSink: the consumer's output buffer. Text is written as latin1 (one
// byte per char, as every string in the consumer is a byte string); the
// compiled record printers (output/fast.ts) write bytes into it directly,
// and the CLI writes it out once per batch of records.

/** ByteSink is a growable byte buffer that text output is appended to. */
export class ByteSink {
  buf: Buffer;
  len = 0;

  constructor(size = 1 << 16) {
    this.buf = Buffer.allocUnsafe(size);
  }

  /** reserve makes room for `n` more bytes. */
  reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const b = Buffer.allocUnsafe(size);
    this.buf.copy(b, 0, 0, this.len);
    this.buf = b;
  }

  /** str appends a byte string (each char's low byte). */
  str(s: string): void {
    const n = s.length;
    this.reserve(n);
    if (n < 24) {
      // Short strings: a loop beats the native call's argument handling.
      const b = this.buf;
      let p = this.len;
      for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
      this.len = p;
    } else {
      this.len += this.buf.write(s, this.len, 'latin1');
    }
  }

  /** bytes appends src[start, end). */
  bytes(src: Uint8Array, start = 0, end = src.length): void {
    const n = end - start;
    this.reserve(n);
    if (n < 16) {
      const b = this.buf;
      let p = this.len;
      for (let i = start; i < end; i++) b[p++] = src[i];
      this.len = p;
    } else {
      this.buf.set(src.subarray(start, end), this.len);
      this.len += n;
    }
  }

  /** fill appends `n` copies of byte `c`. */
  fill(c: number, n: number): void {
    if (n <= 0) return;
    this.reserve(n);
    this.buf.fill(c, this.len, this.len + n);
    this.len += n;
  }

  /** contents is what was written since the last clear() (valid until the next write). */
  contents(): Buffer {
    return this.buf.subarray(0, this.len);
  }

  clear(): void {
    this.len = 0;
  }
}
