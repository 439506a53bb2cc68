/** A small argv parser: `--flag`, `--key value`, `--key=value`, repeated keys, and positionals. */
export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string[]>;
}

export class UsageError extends Error {
  // Recognised by name, not instanceof: `meshtls pki` runs from its own bundle with its own copy of this class.
  override name = 'UsageError';
}

export function parseArgs(argv: string[], spec: { booleans: string[]; values: string[] }): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string[]>();
  const add = (k: string, v: string) => flags.set(k, [...(flags.get(k) ?? []), v]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = (eq > 0 ? a.slice(0, eq) : a).replace(/^--?/, '');
    // Messages name the option as it was typed: `-n`, not `--n`.
    const typed = `${a.startsWith('--') ? '--' : '-'}${name}`;
    if (spec.booleans.includes(name)) {
      if (eq > 0) throw new UsageError(`Option ${typed} takes no value.`);
      add(name, 'true');
    } else if (spec.values.includes(name)) {
      const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new UsageError(`Option ${typed} needs a value.`);
      add(name, v);
    } else {
      throw new UsageError(`Unknown option ${a}.`);
    }
  }
  return { positionals, flags };
}

export function flag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return v ? v[v.length - 1] : undefined;
}

export function flagList(args: ParsedArgs, name: string): string[] {
  return args.flags.get(name) ?? [];
}

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string, fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got "${value}").`);
}
