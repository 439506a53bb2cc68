import { readdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, flag, oneOf, UsageError } from './args';
import type { Io } from './lint-command';
import { renderSecret, resolveSecretSource, SecretInputError, SecretSourceError, SECRET_FORMATS, DEFAULT_NAMESPACE, type FolderView } from '../core/kubectl';
import { normalize } from '../core/paths';

export const SECRET_HELP = `Usage: meshtls secret NAME [--from DIR] [--host HOST] [options]

Prints the command (or manifest) that creates the gateway secret NAME from a PKI tree made by "meshtls pki"
(or the mtls-go-example script), or from a credential folder holding tls.crt + tls.key (+ ca.crt) or
cert + key (+ cacert).

Options:
  --from DIR                 the tree, the folder of per-host trees, or the credential folder (default: .)
  --host HOST                which host's server certificate to use, when DIR holds several
  --namespace NS, -n NS      namespace of the gateway workload (default: ${DEFAULT_NAMESPACE}); for the
                             gateway-api formats the Gateway's namespace (required)
  --format F                 kubectl: secret generic with key/cert/cacert, as the walkthrough (default)
                             tls: secret tls NAME, plus NAME-cacert with ca.crt for MUTUAL
                             yaml: a Secret manifest with the files base64-encoded
                             powershell: the kubectl form quoted for PowerShell
                             gateway-api: secret tls NAME in the Gateway's namespace, plus a ConfigMap with
                               ca.crt for spec.tls.frontend client validation (Kubernetes Gateway API)
                             gateway-api-yaml: the same as a Secret and a ConfigMap manifest
  --ca-configmap NAME        the ConfigMap the Gateway's caCertificateRefs names (default: NAME-ca)
  -h, --help                 show this help
`;

/** The disk, relative to the working directory, as the pure resolver sees it. */
function folderView(cwd: string): FolderView {
  return {
    isFile: (p) => {
      try {
        return statSync(resolve(cwd, p)).isFile();
      } catch {
        return false;
      }
    },
    list: (p) => {
      try {
        return readdirSync(resolve(cwd, p));
      } catch {
        return undefined;
      }
    },
  };
}

export async function secretCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, { booleans: ['help', 'h'], values: ['from', 'host', 'namespace', 'n', 'format', 'ca-configmap'] });
  if (args.flags.has('help') || args.flags.has('h')) {
    io.out(SECRET_HELP);
    return 0;
  }
  if (args.positionals.length !== 1) throw new UsageError('Name exactly one secret, e.g. meshtls secret frontend-credential --host frontend.foocorp.com.');
  const name = args.positionals[0];
  const format = oneOf(flag(args, 'format'), SECRET_FORMATS, 'format', 'kubectl');
  const from = normalize(flag(args, 'from') ?? '.');
  const namespace = flag(args, 'namespace') ?? flag(args, 'n');
  const gatewayApi = format === 'gateway-api' || format === 'gateway-api-yaml';
  // A Gateway API listener reads its Secret in the Gateway's namespace, which meshtls cannot guess here.
  if (gatewayApi && !namespace) throw new UsageError(`--format ${format} needs the Gateway's namespace: add -n NAMESPACE.`);
  try {
    const source = resolveSecretSource({ from, host: flag(args, 'host'), view: folderView(io.cwd) });
    const { files } = source;
    const read = (p: string) => new Uint8Array(readFileSync(resolve(io.cwd, p)));
    const contents = format === 'yaml' || format === 'gateway-api-yaml' ? { cert: read(files.cert), key: read(files.key), cacert: files.cacert ? read(files.cacert) : undefined } : undefined;
    const rendered = renderSecret({ name, namespace, files, format, contents, caConfigMap: flag(args, 'ca-configmap') });
    if (!files.cacert && format !== 'yaml' && format !== 'gateway-api-yaml') io.err(`meshtls secret: no client CA found next to ${files.cert}; the secret suits SIMPLE TLS only.\n`);
    io.out(rendered.text);
    return 0;
  } catch (err) {
    if (err instanceof SecretSourceError || err instanceof SecretInputError) {
      io.err(`meshtls secret: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
