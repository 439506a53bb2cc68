import { posixQuote, renderCommand, type ShellDialect } from './quote';
import { basename } from '../paths';
import { escapeControl } from '../display';

export const SECRET_FORMATS = ['kubectl', 'tls', 'yaml', 'powershell', 'gateway-api', 'gateway-api-yaml'] as const;
export type SecretFormat = (typeof SECRET_FORMATS)[number];

/** Istio reads gateway credentials from the namespace of the gateway workload; the walkthrough's is istio-system. */
export const DEFAULT_NAMESPACE = 'istio-system';

export interface SecretFiles {
  cert: string;
  key: string;
  cacert?: string;
}

export interface SecretInput {
  name: string;
  namespace?: string;
  /** Paths as the user should see them in the command (relative to where they will run it). */
  files: SecretFiles;
  format: SecretFormat;
  /**
   * For the Gateway API forms: the ConfigMap a Gateway's `spec.tls.frontend` caCertificateRef names (default
   * `<name>-ca`). Its key is `ca.crt`, which istiod reads after `cacert`.
   */
  caConfigMap?: string;
  /** Namespace of that ConfigMap when it differs from the Secret's (a Gateway reading a certificate granted elsewhere). */
  caNamespace?: string;
  /** File bytes, needed only by the `yaml` format, which embeds them. */
  contents?: { cert: Uint8Array; key: Uint8Array; cacert?: Uint8Array };
}

export interface ShellCommand {
  argv: string[];
  display: string;
}

export interface RenderedSecret {
  format: SecretFormat;
  /** Commands to run, in order (empty for `yaml`). */
  commands: ShellCommand[];
  /** What to print: the commands' display strings, or the manifest. */
  text: string;
}

export class SecretInputError extends Error {}

// Kubernetes object names are DNS subdomains (RFC 1123): lower case, digits, '-' and '.', at most 253 characters.
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function check(input: SecretInput): { name: string; namespace: string } {
  const namespace = input.namespace ?? DEFAULT_NAMESPACE;
  if (!DNS_SUBDOMAIN.test(input.name) || input.name.length > 253) {
    throw new SecretInputError(`Secret name "${input.name}" is not a valid Kubernetes name (lower-case letters, digits, "-" and ".").`);
  }
  if (!DNS_LABEL.test(namespace) || namespace.length > 63) {
    throw new SecretInputError(`Namespace "${namespace}" is not a valid Kubernetes namespace name.`);
  }
  // kubectl refuses any `--from-file` source with a second '=' ("key names or file paths cannot contain '='"). Checked
  // for every file before anything is printed, so the `tls` form never creates its first secret and fails the second.
  if (input.format !== 'yaml') {
    const fromFile = input.format === 'tls' ? [input.files.cacert] : [input.files.cert, input.files.key, input.files.cacert];
    const bad = fromFile.find((p) => p !== undefined && p.includes('='));
    if (bad !== undefined) throw new SecretInputError(`kubectl cannot read a file whose path contains "=" (${escapeControl(bad)}); rename it, or use --format yaml.`);
  }
  return { name: input.name, namespace };
}

function checkCaName(n: string): string {
  if (!DNS_SUBDOMAIN.test(n) || n.length > 253) throw new SecretInputError(`ConfigMap name "${n}" is not a valid Kubernetes name.`);
  return n;
}

/**
 * kubectl declares `--from-file` as a string-slice flag, which pflag reads as one CSV record: a value holding a comma
 * or a double quote must be a quoted CSV field, or kubectl splits it or rejects it ("bare \" in non-quoted-field").
 * `--cert`/`--key` are plain string flags and need no such care.
 */
export function fromFileArg(key: string, path: string): string {
  const value = `${key}=${path}`;
  return `--from-file=${/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value}`;
}

/** The walkthrough's command: `secret generic` with the keys Istio reads (`key`, `cert`, `cacert`). */
export function genericSecretArgv(name: string, namespace: string, files: SecretFiles): string[] {
  const argv = ['kubectl', 'create', '-n', namespace, 'secret', 'generic', name, fromFileArg('key', files.key), fromFileArg('cert', files.cert)];
  if (files.cacert) argv.push(fromFileArg('cacert', files.cacert));
  return argv;
}

/**
 * The `tls` variant: a `kubernetes.io/tls` secret (`tls.crt`, `tls.key`) and, for MUTUAL, the client CA in a separate
 * `<name>-cacert` secret under `ca.crt`, as the IKS ALB walkthrough does and Istio also accepts.
 */
export function tlsSecretArgvs(name: string, namespace: string, files: SecretFiles): string[][] {
  const out = [['kubectl', 'create', '-n', namespace, 'secret', 'tls', name, `--cert=${files.cert}`, `--key=${files.key}`]];
  if (files.cacert) out.push(['kubectl', 'create', '-n', namespace, 'secret', 'generic', `${name}-cacert`, fromFileArg('ca.crt', files.cacert)]);
  return out;
}

/**
 * The Gateway API form: a `kubernetes.io/tls` Secret in the namespace the listener reads (the Gateway's), and for
 * client validation the CA in a ConfigMap under `ca.crt`, the object a `caCertificateRefs` entry names.
 */
export function gatewayApiArgvs(name: string, namespace: string, files: SecretFiles, caConfigMap: string, caNamespace = namespace): string[][] {
  const out = [['kubectl', 'create', '-n', namespace, 'secret', 'tls', name, `--cert=${files.cert}`, `--key=${files.key}`]];
  if (files.cacert) out.push(['kubectl', 'create', '-n', caNamespace, 'configmap', caConfigMap, fromFileArg('ca.crt', files.cacert)]);
  return out;
}

/** The Gateway API form as manifests: the tls Secret and the CA ConfigMap (PEM text, as `data` must be). */
export function gatewayApiManifests(input: { name: string; namespace: string; files: SecretFiles; contents: NonNullable<SecretInput['contents']>; caConfigMap: string; caNamespace?: string }): string {
  const { name, namespace, contents, caConfigMap } = input;
  const out = ['apiVersion: v1', 'kind: Secret', 'metadata:', `  name: ${name}`, `  namespace: ${namespace}`, 'type: kubernetes.io/tls', 'data:', `  tls.crt: ${base64(contents.cert)}`, `  tls.key: ${base64(contents.key)}`];
  if (input.files.cacert) {
    if (!contents.cacert) throw new SecretInputError('The cacert file contents are missing.');
    const pem = new TextDecoder().decode(contents.cacert).replace(/\r\n/g, '\n').replace(/\n*$/, '');
    out.push('---', 'apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: ${caConfigMap}`, `  namespace: ${input.caNamespace ?? namespace}`, 'data:', '  ca.crt: |', ...pem.split('\n').map((l) => `    ${l}`));
  }
  return out.join('\n') + '\n';
}

function command(argv: string[], dialect: ShellDialect): ShellCommand {
  // Break before each file option, as the walkthrough prints them; short commands stay on one line.
  const long = argv.join(' ').length > 80;
  return { argv, display: renderCommand(argv, dialect, { breakBefore: (a) => long && a.startsWith('--') }) };
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * A Secret manifest for GitOps repositories, with the same keys the `kubectl` form creates. Strings in it are plain
 * scalars only when YAML cannot misread them; names and namespaces are validated above, so only comments differ:
 * file names in them have every line-breaking character escaped (CR, LF, NEL and U+2028/U+2029, which YAML 1.1
 * readers take for line breaks, turning the rest of a name into real YAML lines).
 */
export function secretManifest(input: { name: string; namespace: string; files: SecretFiles; contents: NonNullable<SecretInput['contents']> }): string {
  const { name, namespace, files, contents } = input;
  const data: [string, Uint8Array, string][] = [
    ['cert', contents.cert, files.cert],
    ['key', contents.key, files.key],
  ];
  if (files.cacert) {
    if (!contents.cacert) throw new SecretInputError('The cacert file contents are missing.');
    data.push(['cacert', contents.cacert, files.cacert]);
  }
  // Sorted like kubectl prints them, so a diff against `kubectl get -o yaml` is quiet.
  data.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const lines = [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    'type: Opaque',
    'data:',
    ...data.flatMap(([k, bytes, path]) => [`  # ${escapeControl(basename(path))}`, `  ${k}: ${base64(bytes)}`]),
  ];
  return lines.join('\n') + '\n';
}

export function renderSecret(input: SecretInput): RenderedSecret {
  const { name, namespace } = check(input);
  const { files, format } = input;
  switch (format) {
    case 'kubectl': {
      const c = command(genericSecretArgv(name, namespace, files), 'posix');
      return { format, commands: [c], text: c.display + '\n' };
    }
    case 'powershell': {
      const c = command(genericSecretArgv(name, namespace, files), 'powershell');
      return { format, commands: [c], text: c.display + '\n' };
    }
    case 'tls': {
      const cs = tlsSecretArgvs(name, namespace, files).map((a) => command(a, 'posix'));
      return { format, commands: cs, text: cs.map((c) => c.display + '\n').join('') };
    }
    case 'yaml': {
      if (!input.contents) throw new SecretInputError('The yaml format needs the file contents.');
      return { format, commands: [], text: secretManifest({ name, namespace, files, contents: input.contents }) };
    }
    case 'gateway-api': {
      const caConfigMap = checkCaName(input.caConfigMap ?? `${name}-ca`);
      const caNamespace = input.caNamespace === undefined ? namespace : check({ ...input, namespace: input.caNamespace }).namespace;
      const cs = gatewayApiArgvs(name, namespace, files, caConfigMap, caNamespace).map((a) => command(a, 'posix'));
      return { format, commands: cs, text: cs.map((c) => c.display + '\n').join('') };
    }
    case 'gateway-api-yaml': {
      if (!input.contents) throw new SecretInputError('The gateway-api-yaml format needs the file contents.');
      return { format, commands: [], text: gatewayApiManifests({ name, namespace, files, contents: input.contents, caConfigMap: checkCaName(input.caConfigMap ?? `${name}-ca`), caNamespace: input.caNamespace === undefined ? undefined : check({ ...input, namespace: input.caNamespace }).namespace }) };
    }
  }
}

/** For messages: a path as a shell word. */
export function shellWord(path: string): string {
  return posixQuote(path);
}

/** The walkthrough's naming: `httpbin.example.com` → `httpbin-credential`. */
export function defaultCredentialName(host: string): string {
  return `${host.split('.')[0].toLowerCase()}-credential`;
}
