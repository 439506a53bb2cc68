/**
 * PEM and DER framing. Every block of a file is decoded, and the ways a concatenated file goes wrong in practice
 * are reported (see istio/istio#45324): blocks glued without a newline, text between blocks, a missing END line,
 * mismatched labels, bad base64. Only framing lives here; the ASN.1 inside is left to node:crypto / @peculiar/x509.
 */

export interface PemBlock {
  /** The label between BEGIN and the dashes, e.g. `CERTIFICATE`, `PRIVATE KEY`. */
  label: string;
  /** RFC 1421 headers such as `Proc-Type` and `DEK-Info` (legacy encrypted keys). */
  headers: Record<string, string>;
  der: Uint8Array;
  /** Offsets of the BEGIN line's first character and just after the END line, in the decoded text. */
  start: number;
  end: number;
}

export type PemProblemKind = 'glued' | 'garbage' | 'truncated' | 'label-mismatch' | 'bad-base64' | 'no-pem';

export interface PemProblem {
  kind: PemProblemKind;
  message: string;
  start: number;
  end: number;
}

export interface DecodedMaterial {
  /** The text the offsets refer to (UTF-8 decoded, the same way adapters read files). */
  text: string;
  blocks: PemBlock[];
  problems: PemProblem[];
  /** True when the input was binary DER (one block, label guessed by the caller). */
  der: boolean;
}

const BEGIN = /-----BEGIN ([A-Z0-9 ]+)-----/g;

function isBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 512);
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0 || (b < 0x09) || (b > 0x0d && b < 0x20 && b !== 0x1b)) return true;
  }
  return false;
}

const decoder = new TextDecoder('utf-8');

export function bytesToText(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Decodes PEM text or DER bytes. Never throws; anything odd becomes a problem. */
export function decodeMaterial(input: Uint8Array | string): DecodedMaterial {
  if (typeof input !== 'string' && input.length > 0 && input[0] === 0x30 && isBinary(input)) {
    return { text: '', blocks: [{ label: 'DER', headers: {}, der: input, start: 0, end: 0 }], problems: [], der: true };
  }
  const text = typeof input === 'string' ? input : bytesToText(input);
  return { text, ...decodePemText(text), der: false };
}

/** Start of the line holding `pos`, looking back at most 256 characters (long lines are garbage anyway). */
function lineStartOf(text: string, pos: number): number {
  const floor = Math.max(0, pos - 256);
  for (let i = pos - 1; i >= floor; i--) if (text.charCodeAt(i) === 0x0a) return i + 1;
  return floor;
}

function decodePemText(text: string): { blocks: PemBlock[]; problems: PemProblem[] } {
  const blocks: PemBlock[] = [];
  const problems: PemProblem[] = [];
  let cursor = 0;
  // Index of the next "-----END " at or after a position; searched again only once passed, so a file of many BEGIN
  // lines without END lines stays linear (a 10 MB hostile file must not hang the editor).
  let nextEnd = -2;
  BEGIN.lastIndex = 0;
  for (let m = BEGIN.exec(text); m; m = BEGIN.exec(text)) {
    const start = m.index;
    const label = m[1];
    const lineStart = lineStartOf(text, start);
    const before = text.slice(lineStart, start);
    if (blocks.length > 0 && /-----END [A-Z0-9 ]+-----\s*$/.test(before)) {
      problems.push({ kind: 'glued', message: `"-----BEGIN ${label}-----" follows the previous block's END line without a newline`, start, end: start + m[0].length });
    } else if (before.trim() !== '') {
      problems.push({ kind: 'garbage', message: `text before "-----BEGIN ${label}-----" on the same line`, start: lineStart, end: start });
    }
    const between = text.slice(cursor, before.trim() !== '' ? lineStart : start);
    if (blocks.length > 0 && between.trim() !== '' && !/-----END [A-Z0-9 ]+-----\s*$/.test(before)) {
      const off = cursor + between.search(/\S/);
      problems.push({ kind: 'garbage', message: 'text between PEM blocks', start: off, end: Math.min(off + 40, text.indexOf('\n', off) < 0 ? text.length : text.indexOf('\n', off)) });
    }
    const bodyStart = start + m[0].length;
    if (nextEnd !== -1 && nextEnd < bodyStart) nextEnd = text.indexOf('-----END ', bodyStart);
    const endRe = /-----END ([A-Z0-9 ]+)-----/y;
    endRe.lastIndex = nextEnd;
    const e = nextEnd >= 0 ? endRe.exec(text) : null;
    const nextBegin = text.indexOf('-----BEGIN ', bodyStart);
    if (!e || (nextBegin >= 0 && nextBegin < e.index)) {
      problems.push({ kind: 'truncated', message: `"-----BEGIN ${label}-----" has no matching END line`, start, end: bodyStart });
      BEGIN.lastIndex = nextBegin >= 0 ? nextBegin : text.length;
      cursor = BEGIN.lastIndex;
      if (nextBegin < 0) break;
      continue;
    }
    if (e[1] !== label) problems.push({ kind: 'label-mismatch', message: `"-----BEGIN ${label}-----" ends with "-----END ${e[1]}-----"`, start: e.index, end: e.index + e[0].length });
    let body = text.slice(bodyStart, e.index);
    const headers: Record<string, string> = {};
    // RFC 1421 headers ("Proc-Type: 4,ENCRYPTED") precede a blank line.
    const hdr = /^\s*((?:[A-Za-z-]+:[^\n]*\n)+)\s*\n/.exec(body.replace(/\r/g, ''));
    if (hdr) {
      for (const line of hdr[1].split('\n')) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).trim()] = line.slice(i + 1).trim();
      }
      body = body.replace(/\r/g, '').slice(hdr[0].length);
    }
    const b64 = body.replace(/\s+/g, '');
    const end = e.index + e[0].length;
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 === 1) {
      problems.push({ kind: 'bad-base64', message: `"${label}" block is not valid base64`, start, end });
    } else {
      blocks.push({ label, headers, der: base64ToBytes(b64), start, end });
    }
    cursor = end;
    BEGIN.lastIndex = end;
  }
  if (blocks.length === 0 && problems.length === 0) {
    problems.push({ kind: 'no-pem', message: 'no PEM block found', start: 0, end: Math.min(text.length, 1) });
  }
  return { blocks, problems };
}

export function base64ToBytes(b64: string): Uint8Array {
  const buf = Buffer.from(b64, 'base64');
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** True for the labels of encrypted private keys, in both the PKCS#8 and the legacy OpenSSL form. */
export function isEncryptedKeyBlock(b: PemBlock): boolean {
  return b.label === 'ENCRYPTED PRIVATE KEY' || /ENCRYPTED/i.test(b.headers['Proc-Type'] ?? '');
}

export const KEY_LABELS = ['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY'] as const;
export const CERT_LABELS = ['CERTIFICATE', 'TRUSTED CERTIFICATE', 'X509 CERTIFICATE'] as const;
