import { parseArgs, flag, oneOf, UsageError } from './args';
import * as path from 'node:path';
import { loadWorkspace, fileId, type StreamInput } from '../node/workspace';
import { MAX_FILE_BYTES } from '../node/walk';
import { streamFindings } from '../core/stream';
import { findKustomizeBinary } from '../node/kustomize';
import { locate, summarize, formatTextChunks, formatJsonChunks, formatSarif, type Located } from './format';
import { Linter } from '../core/lint';
import { ENGINE_RULES } from '../core/rules/engine-rules';
import { escapeControl } from '../core/display';
import { SEVERITIES, severityRank, type Finding, type Severity } from '../core/types';

export const LINT_HELP = `Usage: meshtls lint [PATH...] [options]
       meshtls lint - [PATH...] [--stdin-filename NAME] [options]

Lints Istio Gateway, VirtualService, DestinationRule and PeerAuthentication YAML under PATH (default: .)
and checks the certificates behind every credentialName. YAML inside shell scripts, Makefiles and Markdown
(kubectl apply -f - <<EOF heredocs, \`\`\`yaml blocks) is linted where it stands.

With "-", lints a YAML stream read from standard input, such as rendered output:
  kubectl kustomize overlays/prod | meshtls lint - .
  helm template my-release ./chart | meshtls lint -
The PATHs given with "-" are context: references and credentials resolve against them, and only the
stream's findings are reported (conflicts with the PATHs' own resources are not: they are its sources
or alternatives to it).

Options:
  --stdin-filename NAME      name the stream in messages (default: <stdin>); a .sh or .md name reads it as
                             a script or page, and a workspace file of that name is replaced by the stream
  --format text|json|sarif   output format (default: text)
  --fail-on SEVERITY         exit 1 when a finding is at least this severe (default: error)
  --max-severity SEVERITY    alias of --fail-on
  --config FILE              use this .meshtls.yaml instead of searching for one
  --now ISO-DATE             evaluate certificate validity at this time (default: now)
  --no-color                 plain text even on a terminal
  --no-render                read kustomizations without running kustomize/kubectl (default: render when on the PATH)
  -h, --help                 show this help

Exit status: 0 no finding at or above --fail-on, 1 otherwise, 2 usage or I/O error.
`;

export interface Io {
  cwd: string;
  out: (s: string | Uint8Array) => void;
  err: (s: string) => void;
  /**
   * Resolves once standard output has taken what was written. A pipe takes what it can and Node queues the rest in
   * memory: without waiting, a 140 MB report sat whole in the queue (1 GB peak) however it was cut up.
   */
  drained?: () => Promise<void>;
  isTty: boolean;
  version: string;
  /** Standard input, read only by `lint -`. */
  stdin?: AsyncIterable<Uint8Array | string>;
}

const STDIN_DEFAULT = '<stdin>';

/** Reads standard input up to the byte cap files have; undefined when it is larger. */
async function readStream(input: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>, cap: number): Promise<Uint8Array | undefined> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    total += bytes.byteLength;
    if (total > cap) return undefined;
    parts.push(bytes);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/**
 * Loads and lints the workspace and returns the findings, located and sorted (or the exit code of a usage error). A
 * function of its own so that the parsed workspace and the linter are garbage once it returns: the output of 160,000
 * findings is written while they would otherwise still be held.
 */
async function lintWorkspace(inputs: string[], options: Parameters<typeof loadWorkspace>[1], now: Date, io: Io): Promise<{ located: Located[]; yamlCount: number } | number> {
  const linted = lintFindings(await loadWorkspace(inputs, options), now, options.stream?.id, io);
  if (typeof linted === 'number') return linted;
  // The parsed documents are garbage by now: only the texts are needed for line numbers.
  const { findings, texts, yamlCount } = linted;
  const located = locate(findings, { text: (id) => texts.get(id), display: (id) => id }).sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column,
  );
  return { located, yamlCount };
}

function lintFindings(ws: Awaited<ReturnType<typeof loadWorkspace>>, now: Date, streamId: string | undefined, io: Io): { findings: Finding[]; texts: Map<string, string>; yamlCount: number } | number {
  // What the user named must exist and be YAML; anything else is a usage error, never an empty success.
  const wrong = ws.skipped.filter((s) => s.reason === 'no such file or directory' || s.reason === 'not a YAML file');
  if (wrong.length) {
    for (const m of wrong) io.err(`meshtls lint: ${escapeControl(m.id)}: ${m.reason}${m.reason === 'not a YAML file' ? ' (use meshtls inspect for certificates and keys)' : ''}\n`);
    return 2;
  }
  const byFile = new Linter({ config: ws.config, now }).lint(ws.index, now);
  const findings: Finding[] = [...ws.ioFindings];
  // One at a time: spreading a list of 120,000 findings into push() overflows the stack.
  if (streamId !== undefined) for (const f of streamFindings(byFile, streamId)) findings.push(f);
  else for (const list of byFile.values()) for (const f of list) findings.push(f);
  for (const s of ws.skipped) findings.push((s.unreadable ? ENGINE_RULES.fileUnreadable : ENGINE_RULES.fileSkipped).make(s.id, s.reason));
  return { findings, texts: ws.texts, yamlCount: ws.yamlCount };
}

export async function lintCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, { booleans: ['help', 'h', 'no-color', 'no-render'], values: ['format', 'fail-on', 'max-severity', 'config', 'now', 'stdin-filename'] });
  if (args.flags.has('help') || args.flags.has('h')) {
    io.out(LINT_HELP);
    return 0;
  }
  const format = oneOf(flag(args, 'format'), ['text', 'json', 'sarif'] as const, 'format', 'text');
  const failOn = oneOf(flag(args, 'fail-on') ?? flag(args, 'max-severity'), SEVERITIES, 'fail-on', 'error');
  const nowText = flag(args, 'now');
  const now = nowText ? new Date(nowText) : new Date();
  if (Number.isNaN(now.getTime())) throw new UsageError(`--now must be a date such as 2026-01-31 (got "${nowText}").`);
  const fromStdin = args.positionals.includes('-');
  const stdinName = flag(args, 'stdin-filename');
  if (stdinName !== undefined && !fromStdin) throw new UsageError('--stdin-filename needs "-" among the paths.');
  if (args.positionals.filter((p) => p === '-').length > 1) throw new UsageError('"-" (standard input) can be given once.');
  let stream: StreamInput | undefined;
  if (fromStdin) {
    const bytes = await readStream(io.stdin ?? [], MAX_FILE_BYTES);
    if (!bytes) {
      io.err(`meshtls: standard input is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB, the limit for one file.\n`);
      return 2;
    }
    // The name is shown as given; a path is normalised like the workspace's file ids so that it can replace one.
    const id = stdinName === undefined || stdinName === '' ? STDIN_DEFAULT : fileId(path.resolve(io.cwd, stdinName), io.cwd);
    stream = { id, bytes };
  }
  const paths = args.positionals.filter((p) => p !== '-');
  const inputs = paths.length || fromStdin ? paths : ['.'];

  const kustomize = args.flags.has('no-render') ? undefined : findKustomizeBinary();
  const result = await lintWorkspace(inputs, { cwd: io.cwd, configPath: flag(args, 'config'), stream, kustomize }, now, io);
  if (typeof result === 'number') return result;
  const { located, yamlCount } = result;
  const summary = summarize(located, yamlCount);
  const color = format === 'text' && io.isTty && !args.flags.has('no-color') && !process.env.NO_COLOR;
  if (format === 'sarif') io.out(formatSarif(located, io.version));
  else {
    for (const chunk of format === 'json' ? formatJsonChunks(located, summary) : formatTextChunks(located, summary, color)) {
      io.out(chunk);
      await io.drained?.();
    }
  }
  const worst = located.reduce<Severity | undefined>((w, l) => (w === undefined || severityRank(l.severity) < severityRank(w) ? l.severity : w), undefined);
  return worst !== undefined && severityRank(worst) <= severityRank(failOn) ? 1 : 0;
}
