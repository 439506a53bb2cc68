import { parseArgs, flag, oneOf, UsageError } from './args';
import { loadWorkspace } from '../node/workspace';
import { findKustomizeBinary } from '../node/kustomize';
import { locate, summarize, formatText, formatJson, formatSarif } from './format';
import { Linter } from '../core/lint';
import { ENGINE_RULES } from '../core/rules/engine-rules';
import { SEVERITIES, severityRank, type Finding, type Severity } from '../core/types';

export const LINT_HELP = `Usage: meshtls lint [PATH...] [options]

Lints Istio Gateway, VirtualService, DestinationRule and PeerAuthentication YAML under PATH (default: .)
and checks the certificates behind every credentialName.

Options:
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
  out: (s: string) => void;
  err: (s: string) => void;
  isTty: boolean;
  version: string;
}

export async function lintCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, { booleans: ['help', 'h', 'no-color', 'no-render'], values: ['format', 'fail-on', 'max-severity', 'config', 'now'] });
  if (args.flags.has('help') || args.flags.has('h')) {
    io.out(LINT_HELP);
    return 0;
  }
  const format = oneOf(flag(args, 'format'), ['text', 'json', 'sarif'] as const, 'format', 'text');
  const failOn = oneOf(flag(args, 'fail-on') ?? flag(args, 'max-severity'), SEVERITIES, 'fail-on', 'error');
  const nowText = flag(args, 'now');
  const now = nowText ? new Date(nowText) : new Date();
  if (Number.isNaN(now.getTime())) throw new UsageError(`--now must be a date such as 2026-01-31 (got "${nowText}").`);
  const inputs = args.positionals.length ? args.positionals : ['.'];

  const kustomize = args.flags.has('no-render') ? undefined : findKustomizeBinary();
  const ws = await loadWorkspace(inputs, { cwd: io.cwd, configPath: flag(args, 'config'), kustomize });
  const missing = ws.skipped.filter((s) => s.reason === 'no such file or directory');
  if (missing.length) {
    for (const m of missing) io.err(`meshtls: ${m.id}: no such file or directory\n`);
    return 2;
  }
  const linter = new Linter({ config: ws.config, now });
  const byFile = linter.lint(ws.index, now);
  const findings: Finding[] = [...ws.ioFindings];
  // One at a time: spreading a list of 120,000 findings into push() overflows the stack.
  for (const list of byFile.values()) for (const f of list) findings.push(f);
  for (const s of ws.skipped) findings.push((s.unreadable ? ENGINE_RULES.fileUnreadable : ENGINE_RULES.fileSkipped).make(s.id, s.reason));

  const located = locate(findings, { text: (id) => ws.texts.get(id), display: (id) => id }).sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column,
  );
  const summary = summarize(located, ws.yamlCount);
  const color = format === 'text' && io.isTty && !args.flags.has('no-color') && !process.env.NO_COLOR;
  io.out(format === 'json' ? formatJson(located, summary) : format === 'sarif' ? formatSarif(located, io.version) : formatText(located, summary, color));
  const worst = located.reduce<Severity | undefined>((w, l) => (w === undefined || severityRank(l.severity) < severityRank(w) ? l.severity : w), undefined);
  return worst !== undefined && severityRank(worst) <= severityRank(failOn) ? 1 : 0;
}
