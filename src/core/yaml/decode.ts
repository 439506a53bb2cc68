/**
 * Turns the bytes of a YAML file into the text the parser sees, the way kubectl reads manifests: UTF-8, or UTF-16
 * when the file starts with a byte-order mark (what Windows PowerShell writes by default), and a lone CR ends a line
 * as CRLF and LF do (YAML's own definition of a line break; old Mac editors write them). Each lone CR becomes an LF,
 * one character for one, so every offset still points at the same place in the file. Returns undefined for binary
 * content (NUL characters), which no manifest contains.
 */
export function decodeYamlBytes(bytes: Uint8Array): string | undefined {
  let text: string;
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    // The mark stays in the text as U+FEFF, as it does for UTF-8 files: document splitting already skips it.
    text = new TextDecoder(bytes[0] === 0xff ? 'utf-16le' : 'utf-16be', { ignoreBOM: true }).decode(bytes);
  } else {
    if (bytes.includes(0)) return undefined;
    text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  }
  if (text.includes('\0')) return undefined;
  return normalizeLineEnds(text);
}

/** Lone CRs become LFs (same length, so offsets hold); CRLF stays as it is. */
export function normalizeLineEnds(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}
