import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { parseArgs, flag, flagList, oneOf, UsageError } from './args';
import type { Io } from './lint-command';
import { treeText } from './tree-text';
import { existsSync } from 'node:fs';
import { existingPaths, writeTreeAtomically, TreeConflictError, TreeLockedError, repairInterruptedWrite } from '../node/write-tree';
// From the modules themselves, not the folder's index: that also re-exports reissue, which loads @peculiar/x509.
import { generatePki, planPki, PkiOptionsError, PKI_PROFILES, DEFAULT_DAYS, type PkiOptions } from '../core/pki/generate';
import { credentialFilesOf } from '../core/pki/layout';
import { renderSecret, defaultCredentialName, posixQuote, DEFAULT_NAMESPACE, SecretInputError, type RenderedSecret } from '../core/kubectl';

export const PKI_HELP = `Usage: meshtls pki HOST... [options]

Generates, for each HOST, the PKI tree of Istio's secure-ingress walkthrough (mtls-go-example layout):
HOST/1_root, HOST/2_intermediate (with certs/ca-chain.cert.pem), HOST/3_application (server), HOST/4_client,
with SANs, serverAuth/clientAuth usages and CA constraints. Prints the kubectl commands that load it.

Options:
  --out DIR                  where to write (default: .)
  --profile rsa|ecdsa        rsa: 4096-bit CAs, 2048-bit leaves, like the walkthrough (default); ecdsa: P-256
  --shared-ca                one root + intermediate for all hosts, written to DIR/1_root … DIR/4_client
  --days-root N              root validity in days (default: ${DEFAULT_DAYS.root})
  --days-intermediate N      intermediate validity in days (default: ${DEFAULT_DAYS.intermediate})
  --days-leaf N              server and client validity in days (default: ${DEFAULT_DAYS.leaf})
  --san NAME[,NAME]          extra server SANs (DNS names, *.wildcards, IP addresses); repeatable
  --ca-passphrase-file F     encrypt the root and intermediate keys with the first line of F (PKCS#8, AES-256)
  --force                    overwrite existing files
  --json                     print what was written as JSON
  -h, --help                 show this help

Nothing is written until every key and certificate exists; files appear by atomic renames, private keys mode 0600.
Exit status: 0 written, 1 files exist (use --force), 2 usage or I/O error.
`;

function days(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${option} must be a whole number of days (got "${value}").`);
  return Number(value);
}

/** Paths in printed commands are relative to where the user is, unless that would climb out of it. */
export function displayPath(cwd: string, absolute: string): string {
  const rel = relative(cwd, absolute);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? absolute : rel;
}

export async function pkiCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, {
    booleans: ['help', 'h', 'shared-ca', 'force', 'json'],
    values: ['out', 'profile', 'days-root', 'days-intermediate', 'days-leaf', 'san', 'ca-passphrase-file'],
  });
  if (args.flags.has('help') || args.flags.has('h')) {
    io.out(PKI_HELP);
    return 0;
  }
  if (args.positionals.length === 0) throw new UsageError('Name at least one HOST, e.g. meshtls pki frontend.foocorp.com.');
  const passphraseFile = flag(args, 'ca-passphrase-file');
  let caPassphrase: string | undefined;
  if (passphraseFile !== undefined) {
    // Like openssl's `-passout file:F`: the first line, without its line ending.
    try {
      caPassphrase = readFileSync(resolve(io.cwd, passphraseFile), 'utf8').split(/\r?\n/)[0];
    } catch (err) {
      throw new UsageError(`Cannot read --ca-passphrase-file ${passphraseFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
    }
  }
  const options: PkiOptions = {
    hosts: args.positionals,
    profile: oneOf(flag(args, 'profile'), PKI_PROFILES, 'profile', 'rsa'),
    sharedCa: args.flags.has('shared-ca'),
    days: { root: days(flag(args, 'days-root'), 'days-root'), intermediate: days(flag(args, 'days-intermediate'), 'days-intermediate'), leaf: days(flag(args, 'days-leaf'), 'days-leaf') },
    sans: flagList(args, 'san').flatMap((v) => v.split(',').map((x) => x.trim()).filter(Boolean)),
    caPassphrase,
    now: new Date(),
  };
  const json = args.flags.has('json');
  const force = args.flags.has('force');
  const outDir = resolve(io.cwd, flag(args, 'out') ?? '.');

  let plan;
  try {
    plan = planPki(options);
  } catch (err) {
    if (err instanceof PkiOptionsError) throw new UsageError(err.message);
    throw err;
  }
  // A run killed in the middle of its swap left a journal: put the old tree back before judging what exists.
  if (existsSync(outDir)) {
    try {
      const restored = repairInterruptedWrite(outDir);
      if (restored) io.err(`meshtls pki: an earlier run into ${displayPath(io.cwd, outDir)} was interrupted; put back ${restored} file${restored === 1 ? '' : 's'} it had replaced.\n`);
    } catch (err) {
      if (err instanceof TreeLockedError) return locked(io, err);
      throw err;
    }
  }
  // Refuse before generating: RSA keys take seconds, and the answer would be the same afterwards.
  if (!force) {
    const existing = existingPaths(outDir, plan.paths);
    if (existing.length) return refuse(io, new TreeConflictError(existing.map((p) => displayPath(io.cwd, resolve(outDir, p)))));
  }

  const started = Date.now();
  if (plan.profile === 'rsa') {
    const keys = plan.groups.reduce((n, g) => n + 2 + 2 * g.hosts.length, 0);
    io.err(`meshtls pki: generating ${keys} RSA keys (4096-bit CAs, 2048-bit leaves)…\n`);
    options.onProgress = (e) => {
      if (e.phase === 'keys') io.err(`meshtls pki: key ${e.done}/${e.total} ready (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    };
  }
  const tree = await generatePki(options);
  try {
    writeTreeAtomically({ outDir, files: tree.files, force });
  } catch (err) {
    if (err instanceof TreeConflictError) return refuse(io, err);
    if (err instanceof TreeLockedError) return locked(io, err);
    if ((err as NodeJS.ErrnoException).code) {
      // A file-system refusal is the user's to fix (a file in the way, a read-only folder): no stack trace.
      io.err(`meshtls pki: could not write the tree: ${(err as Error).message}\nNothing was written.\n`);
      return 2;
    }
    throw err;
  }

  const show = (p: string) => displayPath(io.cwd, resolve(outDir, p));
  const secrets = tree.hosts.map(({ host, paths }) => {
    const files = credentialFilesOf(paths);
    const name = defaultCredentialName(host);
    let rendered: RenderedSecret;
    try {
      rendered = renderSecret({ name, namespace: DEFAULT_NAMESPACE, format: 'kubectl', files: { cert: show(files.cert), key: show(files.key), cacert: show(files.cacert) } });
    } catch (err) {
      // A path kubectl cannot take (one holding '='): the tree is written and fine; say why there is no command.
      if (!(err instanceof SecretInputError)) throw err;
      rendered = { format: 'kubectl', commands: [], text: `# ${err.message}\n` };
    }
    return { host, name, rendered, paths };
  });

  if (json) {
    io.out(
      JSON.stringify(
        {
          out: displayPath(io.cwd, outDir),
          profile: plan.profile,
          sharedCa: plan.sharedCa,
          days: plan.days,
          files: tree.files.map((f) => ({ path: show(f.path), mode: `0${f.mode.toString(8)}` })),
          hosts: secrets.map((s) => ({
            host: s.host,
            paths: Object.fromEntries(Object.entries(s.paths).filter(([k]) => k !== 'base').map(([k, v]) => [k, show(v)])),
            secret: { name: s.name, namespace: DEFAULT_NAMESPACE, argv: s.rendered.commands[0]?.argv, command: s.rendered.commands[0]?.display },
          })),
        },
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  const outShown = displayPath(io.cwd, outDir);
  io.out(`Wrote ${tree.files.length} files (${plan.profile}) to ${outShown}${outShown.endsWith('/') ? '' : '/'}\n`);
  io.out(treeText(tree.files.map((f) => f.path)));
  io.out(`\nNext step: load each server certificate, key and client CA into the gateway's namespace:\n\n`);
  for (const s of secrets) io.out(s.rendered.text + '\n');
  io.out(`Reference each from its Gateway server (tls: { mode: MUTUAL, credentialName: ${secrets[0].name} }), then test with the client certificate:\n\n`);
  const c = secrets[0].paths;
  const h = secrets[0].host;
  io.out(
    `curl -HHost:${h} --resolve "${h}:$SECURE_INGRESS_PORT:$INGRESS_HOST" \\\n` +
      `  --cacert ${posixQuote(show(c.chain))} \\\n  --cert ${posixQuote(show(c.clientCert))} \\\n  --key ${posixQuote(show(c.clientKey))} \\\n` +
      `  "https://${h}:$SECURE_INGRESS_PORT/"\n`,
  );
  return 0;
}

function locked(io: Io, err: TreeLockedError): number {
  io.err(`meshtls pki: ${err.message}.\nNothing was written.\n`);
  return 1;
}

function refuse(io: Io, err: TreeConflictError): number {
  io.err(`meshtls pki: ${err.message}\nNothing was written. Use --force to overwrite, or --out to write elsewhere.\n`);
  return 1;
}
