/**
 * A report's bytes, written into pieces of about a megabyte. Text that repeats across thousands of findings (a file
 * name, a message, a shared related list) is encoded to UTF-8 once and copied in as bytes: encoding 140 MB of report
 * text on the way out, and building each finding as a string first, were most of writing a 200,000-finding report.
 */
export class ReportBytes {
  private buf: Buffer;
  private at = 0;

  constructor(private readonly pieceSize: number) {
    this.buf = Buffer.allocUnsafe(pieceSize + (pieceSize >> 2));
  }

  /** Bytes written since the last piece was taken. */
  get size(): number {
    return this.at;
  }

  bytes(b: Uint8Array): void {
    const n = b.length;
    if (this.at + n > this.buf.length) this.grow(n);
    const buf = this.buf;
    // A call into the typed-array copy costs more than a short loop for the few bytes most parts have.
    if (n < 24) for (let i = 0, at = this.at; i < n; i++) buf[at + i] = b[i];
    else buf.set(b, this.at);
    this.at += n;
  }

  /** A non-negative integer in decimal. */
  int(n: number): void {
    const s = `${n}`;
    if (this.at + s.length > this.buf.length) this.grow(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.at + i] = s.charCodeAt(i);
    this.at += s.length;
  }

  /** The bytes written since the last piece, as a piece of their own. */
  take(): Uint8Array {
    const piece = this.buf.subarray(0, this.at);
    this.buf = Buffer.allocUnsafe(this.pieceSize + (this.pieceSize >> 2));
    this.at = 0;
    return piece;
  }

  private grow(need: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + need));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }
}

/**
 * UTF-8 bytes of strings, each encoded once. The cache is cleared when it holds too much, so a report of unique
 * messages costs at most that much memory on top of itself.
 */
export class EncodedStrings {
  private readonly map = new Map<string, Uint8Array>();
  private bytes = 0;

  constructor(
    private readonly encode: (s: string) => string,
    private readonly maxBytes = 16 << 20,
  ) {}

  get(s: string): Uint8Array {
    let out = this.map.get(s);
    if (out === undefined) {
      out = Buffer.from(this.encode(s), 'utf8');
      if (this.bytes + out.length > this.maxBytes || this.map.size >= 200_000) {
        this.map.clear();
        this.bytes = 0;
      }
      this.map.set(s, out);
      this.bytes += out.length;
    }
    return out;
  }
}
