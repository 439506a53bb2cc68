import type { Io } from './lint-command';
import { UsageError } from './args';
import { version } from '../../package.json';

const HELP = `meshtls ${version} — Istio secure-ingress and mTLS checks

Usage: meshtls <command> [options]

Commands:
  lint [PATH...]      lint Istio YAML and the certificates behind it ("-" reads a YAML stream from stdin)
  inspect FILE...     show certificates, keys and resolved credentials
  rules               list every rule with its id and default severity
  pki HOST...         generate the walkthrough's PKI tree (root, intermediate, server, client) per host
  secret NAME         print the kubectl command or manifest that creates a gateway secret from a tree

Run "meshtls <command> --help" for a command's options.
`;

type Command = (argv: string[], io: Io) => Promise<number>;

// Commands load their modules on first use: the bundle evaluates a module only when it is imported, so `meshtls pki`
// does not pay for the YAML parser and rule registry, nor `meshtls lint` for the X.509 library. The build also
// splits them into bundles beside dist/cli.js (see esbuild.mjs), so `meshtls pki` does not even compile the rest.
const COMMANDS: Record<string, Command> = {
  lint: async (argv, io) => (await import('./lint-command')).lintCommand(argv, io),
  inspect: async (argv, io) => (await import('./inspect-command')).inspectCommand(argv, io),
  pki: async (argv, io) => (await import('./pki-command')).pkiCommand(argv, io),
  secret: async (argv, io) => (await import('./secret-command')).secretCommand(argv, io),
  rules: async (argv, io) => {
    const { parseArgs } = await import('./args');
    const args = parseArgs(argv, { booleans: ['help', 'h'], values: [] });
    if (args.flags.has('help') || args.flags.has('h')) {
      io.out('Usage: meshtls rules\n\nLists every rule with its id, default severity, Istio code and summary.\n');
      return 0;
    }
    if (args.positionals.length) throw new UsageError(`rules takes no arguments (got "${args.positionals[0]}").`);
    const { RULES } = await import('../core/rules/registry');
    // Columns: id, default severity, the istioctl analyze code and the Kiali code the rule mirrors (blank when none).
    for (const r of RULES) io.out(`${r.id.padEnd(48)} ${r.defaultSeverity.padEnd(8)} ${(r.istioCode ?? '').padEnd(8)} ${(r.kialiCode ?? '').padEnd(8)} ${r.summary}\n`);
    return 0;
  },
};

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(HELP);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V') {
    io.out(`${version}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`meshtls: unknown command "${name}".\n\n${HELP}`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (err) {
    if (err instanceof UsageError || (err instanceof Error && err.name === 'UsageError')) {
      io.err(`meshtls ${name}: ${err.message}\nRun "meshtls ${name} --help" for usage.\n`);
      return 2;
    }
    if (err instanceof Error && err.name === 'InputError') {
      io.err(`meshtls ${name}: ${err.message}\n`);
      return 2;
    }
    io.err(`meshtls ${name}: ${(err as Error).stack ?? String(err)}\n`);
    return 2;
  }
}

if (require.main === module) {
  // `meshtls lint | head`: the reader went away. Stop quietly (no stack trace) and never exit 0, since the report was
  // not delivered in full.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(process.exitCode || 1);
  });
  const io: Io = {
    cwd: process.cwd(),
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    drained: () => (process.stdout.writableNeedDrain ? new Promise((resolve) => process.stdout.once('drain', () => resolve())) : Promise.resolve()),
    isTty: Boolean(process.stdout.isTTY),
    version,
    stdin: process.stdin,
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`meshtls: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
