/** Offset ↔ line/column for one text (0-based lines and UTF-16 columns), built once per text. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: offset - this.starts[lo] };
  }

  offset(line: number, column: number): number {
    const start = this.starts[Math.min(Math.max(line, 0), this.starts.length - 1)];
    return Math.min(start + column, this.text.length);
  }

  get lineCount(): number {
    return this.starts.length;
  }
}
