/**
 * File names of the mtls-go-example tree that Istio's secure-ingress walkthrough used. Users (and their scripts and
 * docs) know these names, so they are kept exactly; only the contents are modernised.
 */
export interface TreePaths {
  /** Folder holding 1_root … 4_client, relative to the output folder ('' when the tree is the output folder). */
  base: string;
  rootCert: string;
  rootKey: string;
  intermediateCert: string;
  intermediateKey: string;
  intermediateCsr: string;
  chain: string;
  serverCert: string;
  serverKey: string;
  serverCsr: string;
  clientCert: string;
  clientKey: string;
  clientCsr: string;
}

function under(base: string, rel: string): string {
  return base ? `${base}/${rel}` : rel;
}

/**
 * Paths for one host. In a per-host tree `base` is the host name (the walkthrough's `mkdir <host>; mv 1_root …`);
 * with a shared CA every host's leaves sit side by side in one tree, which the file names already tell apart.
 */
export function treePaths(base: string, host: string): TreePaths {
  const p = (rel: string) => under(base, rel);
  return {
    base,
    rootCert: p('1_root/certs/ca.cert.pem'),
    rootKey: p('1_root/private/ca.key.pem'),
    intermediateCert: p('2_intermediate/certs/intermediate.cert.pem'),
    intermediateKey: p('2_intermediate/private/intermediate.key.pem'),
    intermediateCsr: p('2_intermediate/csr/intermediate.csr.pem'),
    chain: p('2_intermediate/certs/ca-chain.cert.pem'),
    serverCert: p(`3_application/certs/${host}.cert.pem`),
    serverKey: p(`3_application/private/${host}.key.pem`),
    serverCsr: p(`3_application/csr/${host}.csr.pem`),
    clientCert: p(`4_client/certs/${host}.cert.pem`),
    clientKey: p(`4_client/private/${host}.key.pem`),
    clientCsr: p(`4_client/csr/${host}.csr.pem`),
  };
}

/** The files a Gateway secret is made of, in the walkthrough's MUTUAL form. */
export interface CredentialFiles {
  cert: string;
  key: string;
  cacert?: string;
}

export function credentialFilesOf(paths: TreePaths): Required<CredentialFiles> {
  return { cert: paths.serverCert, key: paths.serverKey, cacert: paths.chain };
}

const LABEL = '[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?';
const DNS_NAME = new RegExp(`^${LABEL}(\\.${LABEL})*$`);

/**
 * A host names a folder and files, so it must be a plain DNS name: no wildcard, no path characters, and (RFC 1035)
 * no label over 63 characters, which certificate validators and Kubernetes reject after the tree is written.
 */
export function isValidHost(host: string): boolean {
  return host.length <= 253 && DNS_NAME.test(host) && host.split('.').every((label) => label.length <= 63);
}

/** Extra SANs may also be a wildcard (`*.example.com`) or an IP address. */
export function sanKind(name: string): 'dns' | 'ip' | undefined {
  if (isIpAddress(name)) return 'ip';
  const dns = name.startsWith('*.') ? name.slice(2) : name;
  return isValidHost(dns) ? 'dns' : undefined;
}

export function isIpAddress(s: string): boolean {
  if (/^(\d{1,3})(\.\d{1,3}){3}$/.test(s)) return s.split('.').every((o) => Number(o) <= 255);
  return s.includes(':') && /^[0-9A-Fa-f:.]+$/.test(s) && s.split('::').length <= 2;
}
