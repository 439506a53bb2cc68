import { subtle, x509 } from '../../src/core/pki/x509';

export interface LongChain {
  /** PEM of the leaf (big.example.com). */
  leaf: string;
  /** PEM of the intermediates, leaf side first; `copies` re-issued certificates of each (same name, same key). */
  intermediates: string;
  /** PEM of the self-signed root. */
  root: string;
  /** The leaf's private key (PKCS#8 PEM). */
  key: string;
}

/**
 * A chain of `n` certificates: a leaf, `n - 2` intermediates each signed by the next, and a self-signed root. With
 * `copies` > 1 every intermediate is issued that many times with one key, so that every link has `copies` issuers
 * that qualify. P-256 keys, so that thousands are made in seconds.
 */
export async function longChain(opts: { n: number; copies?: number; now?: Date }): Promise<LongChain> {
  const { n } = opts;
  const copies = opts.copies ?? 1;
  const now = opts.now ?? new Date();
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await Promise.all(Array.from({ length: n }, () => subtle.generateKey(alg, true, ['sign', 'verify']) as Promise<CryptoKeyPair>));
  const notBefore = new Date(now.getTime() - 86_400_000);
  const notAfter = new Date(now.getTime() + 365 * 86_400_000);
  const caUsage = x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature;
  const pubs = await Promise.all(keys.map((k) => x509.PublicKey.create(k.publicKey)));
  const skis = await Promise.all(pubs.map((p) => x509.SubjectKeyIdentifierExtension.create(p)));
  // Index n - 1 is the root, 0 the leaf; certificate i is signed by i + 1.
  const nameOf = (i: number) => (i === n - 1 ? 'CN=Big Root' : i === 0 ? 'CN=big.example.com' : `CN=Big Intermediate ${i}`);
  let serial = 0;
  const issue = (i: number) => {
    const issuer = Math.min(i + 1, n - 1);
    return x509.X509CertificateGenerator.create({
      serialNumber: (0x1000000 + ++serial).toString(16),
      subject: nameOf(i),
      issuer: nameOf(issuer),
      notBefore,
      notAfter,
      publicKey: pubs[i],
      signingKey: keys[issuer].privateKey,
      signingAlgorithm: alg,
      extensions:
        i === 0
          ? [new x509.BasicConstraintsExtension(false, undefined, true), new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'big.example.com' }]), skis[0], new x509.AuthorityKeyIdentifierExtension(skis[1].keyId)]
          : [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(caUsage, true), skis[i], new x509.AuthorityKeyIdentifierExtension(skis[issuer].keyId)],
    });
  };
  const pem = (c: x509.X509Certificate) => c.toString('pem') + '\n';
  const middle = await Promise.all(Array.from({ length: (n - 2) * copies }, (_, j) => issue(1 + Math.floor(j / copies))));
  return {
    leaf: pem(await issue(0)),
    intermediates: middle.map(pem).join(''),
    root: pem(await issue(n - 1)),
    key: x509.PemConverter.encode(await subtle.exportKey('pkcs8', keys[0].privateKey), 'PRIVATE KEY') + '\n',
  };
}

/**
 * A MUTUAL Gateway whose credential serves a chain of `n` certificates (leaf first, root last), from a kubectl line.
 * `bundle: 'root'` makes the CA bundle the root alone; `bundle: 'chain'` the whole chain, as a CA bundle that is
 * really someone's certificate chain.
 */
export async function longChainWorkspace(opts: { n: number; bundle: 'root' | 'chain'; now?: Date }): Promise<[string, string][]> {
  const c = await longChain(opts);
  const chain = c.leaf + c.intermediates + c.root;
  return [
    ['chain.pem', chain],
    ['key.pem', c.key],
    ['ca.pem', opts.bundle === 'root' ? c.root : chain],
    ['secrets.sh', 'kubectl create -n istio-system secret generic big-credential --from-file=tls.crt=chain.pem --from-file=tls.key=key.pem --from-file=ca.crt=ca.pem\n'],
    [
      'gw.yaml',
      `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: big, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: [big.example.com]
    tls: {mode: MUTUAL, credentialName: big-credential}
`,
    ],
  ];
}

/**
 * A SIMPLE Gateway with `hosts` host names, none of them covered by its certificate, which carries `sans` DNS names
 * (issued by a small CA, so that only cert-host-mismatch has much to say).
 */
export async function manySansWorkspace(opts: { sans: number; hosts: number; now?: Date }): Promise<[string, string][]> {
  const now = opts.now ?? new Date();
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const [caKeys, leafKeys] = await Promise.all([0, 1].map(() => subtle.generateKey(alg, true, ['sign', 'verify']) as Promise<CryptoKeyPair>));
  const notBefore = new Date(now.getTime() - 86_400_000);
  const notAfter = new Date(now.getTime() + 365 * 86_400_000);
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01', name: 'CN=Many SANs Root', notBefore, notAfter, keys: caKeys, signingAlgorithm: alg,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
  });
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: '02', subject: 'CN=many.example.com', issuer: root.subject, notBefore, notAfter, publicKey: leafKeys.publicKey, signingKey: caKeys.privateKey, signingAlgorithm: alg,
    extensions: [new x509.SubjectAlternativeNameExtension(Array.from({ length: opts.sans }, (_, i) => ({ type: 'dns' as const, value: `san-${i}.covered.example.com` })))],
  });
  const key = x509.PemConverter.encode(await subtle.exportKey('pkcs8', leafKeys.privateKey), 'PRIVATE KEY') + '\n';
  return [
    ['tls.crt', leaf.toString('pem') + '\n' + root.toString('pem') + '\n'],
    ['tls.key', key],
    ['secrets.sh', 'kubectl create -n istio-system secret tls many-credential --cert=tls.crt --key=tls.key\n'],
    [
      'gw.yaml',
      `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: many, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: [${Array.from({ length: opts.hosts }, (_, i) => `host-${i}.uncovered.example.com`).join(', ')}]
    tls: {mode: SIMPLE, credentialName: many-credential}
`,
    ],
  ];
}
