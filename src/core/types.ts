// Plain data shared by every layer. Positions are offsets into a file's text; adapters turn them into lines.

export const SEVERITIES = ['error', 'warning', 'info', 'hint'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** A half-open span [start, end) of UTF-16 offsets in one file. */
export interface Span {
  fileId: string;
  start: number;
  end: number;
}

export interface RelatedInfo extends Span {
  message: string;
}

/** A text edit that a quick fix applies; offsets are into the file's current text. */
export interface TextEdit extends Span {
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** True when the fix is certain enough to be the preferred quick fix. */
  preferred?: boolean;
}

export interface Finding extends Span {
  ruleId: string;
  severity: Severity;
  message: string;
  istioCode?: string;
  related?: RelatedInfo[];
  fixes?: Fix[];
}

/** A workspace file handed to the core. `id` is whatever the adapter uses to find it again (path or URI). */
export interface SourceText {
  id: string;
  text: string;
}
