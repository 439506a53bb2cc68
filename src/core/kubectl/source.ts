import { join } from '../paths';
import { treePaths, credentialFilesOf } from '../pki/layout';
import type { SecretFiles } from './secret';

/** The adapter's view of the disk, so this resolution stays pure and testable with a plain object. */
export interface FolderView {
  isFile(path: string): boolean;
  /** Entry names of a folder, or undefined when it is not one. */
  list(path: string): string[] | undefined;
}

export interface SecretSource {
  files: Required<Pick<SecretFiles, 'cert' | 'key'>> & Pick<SecretFiles, 'cacert'>;
  /** How the files were found, for messages. */
  kind: 'tree' | 'credential-folder';
  host?: string;
}

export class SecretSourceError extends Error {}

// A folder named after a credential holds the keys Istio reads, in either naming (see Istio's credentials loader).
const CREDENTIAL_NAMINGS = [
  { cert: 'tls.crt', key: 'tls.key', cacert: 'ca.crt' },
  { cert: 'cert', key: 'key', cacert: 'cacert' },
  { cert: 'cert.pem', key: 'key.pem', cacert: 'cacert.pem' },
] as const;

function fromTree(base: string, host: string, view: FolderView): SecretSource | undefined {
  const paths = treePaths(base, host);
  const files = credentialFilesOf(paths);
  if (!view.isFile(files.cert) || !view.isFile(files.key)) return undefined;
  return { kind: 'tree', host, files: view.isFile(files.cacert) ? files : { cert: files.cert, key: files.key } };
}

/**
 * Finds the server certificate, key and client CA for a secret: `host` picks one host out of a per-host tree
 * (`from/HOST/3_application/…`) or a shared-CA tree (`from/3_application/…/HOST.*`); without it `from` must be a
 * tree with exactly one host, or a credential folder (`tls.crt`/`tls.key`/`ca.crt` or `cert`/`key`/`cacert`).
 */
export function resolveSecretSource(input: { from: string; host?: string; view: FolderView }): SecretSource {
  const { from, host, view } = input;
  const base = from === '.' ? '' : from.replace(/\/+$/, '');
  if (host !== undefined) {
    const found = fromTree(base ? join(base, host) : host, host, view) ?? fromTree(base, host, view);
    if (found) return found;
    throw new SecretSourceError(`No server certificate for "${host}" under ${from}: looked for ${host}/3_application/certs/${host}.cert.pem and 3_application/certs/${host}.cert.pem.`);
  }
  const certs = view.list(base ? join(base, '3_application/certs') : '3_application/certs');
  if (certs) {
    const hosts = certs.filter((n) => n.endsWith('.cert.pem')).map((n) => n.slice(0, -'.cert.pem'.length)).sort();
    if (hosts.length !== 1) {
      throw new SecretSourceError(
        hosts.length ? `${from} holds certificates for several hosts (${hosts.join(', ')}); pick one with --host.` : `${from}/3_application/certs holds no *.cert.pem.`,
      );
    }
    const found = fromTree(base, hosts[0], view);
    if (found) return found;
    throw new SecretSourceError(`${from} has no private key for "${hosts[0]}" in 3_application/private.`);
  }
  const entries = view.list(base || '.');
  if (!entries) throw new SecretSourceError(`${from} is not a folder.`);
  for (const naming of CREDENTIAL_NAMINGS) {
    if (entries.includes(naming.cert) && entries.includes(naming.key)) {
      const at = (n: string) => (base ? join(base, n) : n);
      const files: SecretSource['files'] = { cert: at(naming.cert), key: at(naming.key) };
      if (entries.includes(naming.cacert)) files.cacert = at(naming.cacert);
      return { kind: 'credential-folder', files };
    }
  }
  // A folder of per-host trees: name them, since that is the likely mix-up.
  const trees = entries.filter((e) => view.isFile(join(base || '.', `${e}/3_application/certs/${e}.cert.pem`))).sort();
  if (trees.length) throw new SecretSourceError(`${from} holds PKI trees for ${trees.join(', ')}; pick one with --host.`);
  throw new SecretSourceError(`${from} is neither a PKI tree (3_application/…) nor a credential folder (tls.crt + tls.key, or cert + key).`);
}
