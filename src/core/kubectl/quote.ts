/**
 * Shell quoting for commands we print for people to paste. The argv is the truth; these only render it, and tests
 * run the rendered string through `sh -c` to prove it parses back to the same argv.
 */

// Characters every POSIX shell takes literally in any word position (no globbing, expansion, or splitting).
const POSIX_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One argument as a POSIX shell word: bare when safe, otherwise single-quoted (the only quoting with no escapes). */
export function posixQuote(arg: string): string {
  if (arg !== '' && POSIX_SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

// PowerShell treats these as literal in an argument; anything else ($, `, quotes, spaces, braces, @, commas) is quoted.
const POWERSHELL_SAFE = /^[A-Za-z0-9_%+=:./\\-]+$/;

/**
 * One argument for PowerShell: single quotes are verbatim strings there, with '' for an embedded quote. A leading
 * `-` word stays bare so PowerShell passes flags through unchanged.
 */
export function powershellQuote(arg: string): string {
  if (arg !== '' && POWERSHELL_SAFE.test(arg)) return arg;
  return `'${arg.replace(/['‘’‚‛]/g, (q) => q + q)}'`;
}

export type ShellDialect = 'posix' | 'powershell';

/**
 * `--flag=value` renders as `--flag=` + quoted value when the flag part is plain: the same word to the shell, but it
 * reads like the walkthrough (`--from-file=key='my dir/key.pem'`).
 */
export function quoteArg(arg: string, dialect: ShellDialect): string {
  const quote = dialect === 'posix' ? posixQuote : powershellQuote;
  const m = /^(--[a-z][a-z-]*=(?:[A-Za-z0-9._-]+=)?)(.*)$/s.exec(arg);
  if (m && m[2] !== '' && quote(m[2]) !== m[2]) {
    // PowerShell would otherwise split `--x='a b'` oddly only when the prefix is unquoted; keep the whole word quoted.
    return dialect === 'posix' ? m[1] + quote(m[2]) : quote(arg);
  }
  return quote(arg);
}

/**
 * The whole command, one option per line when it is long (the walkthrough's layout), with the dialect's line
 * continuation: a trailing backslash in POSIX shells, a trailing backtick in PowerShell.
 */
export function renderCommand(argv: readonly string[], dialect: ShellDialect, options: { breakBefore?: (arg: string, i: number) => boolean } = {}): string {
  const cont = dialect === 'posix' ? ' \\\n  ' : ' `\n  ';
  let out = '';
  argv.forEach((arg, i) => {
    if (i > 0) out += options.breakBefore?.(arg, i) ? cont : ' ';
    out += quoteArg(arg, dialect);
  });
  return out;
}
