import { test } from 'node:test';
import assert from 'node:assert/strict';
import { treesFor, type CredentialIndex, type MaterialRef, type PkiTree } from '../../src/core/index/credentials';
import { sansCoverGatewayHost } from '../../src/core/certs/hostname';
import { rng } from '../support/rng';

// The trees a server's hosts or certificate select were found by a filter of every tree; they are looked up now. The
// filter is the judge.
function judged(trees: PkiTree[], hosts: string[], cert: MaterialRef | undefined): PkiTree[] {
  if (cert && !cert.inline) {
    const own = trees.filter((t) => t.cert === cert.fileId || cert.fileId.startsWith(`${t.dir}/`));
    if (own.length) return own;
  }
  return trees.filter((t) => hosts.some((h) => sansCoverGatewayHost([t.host], [], h) === true));
}

const LABELS = ['a', 'B', 'example', 'com', '*', 'x*', '', '1', 'io'];
const DIRS = ['.', 'p', 'p/q', 'r', ''];

test('PKI trees looked up by host and folder are those the filter of every tree finds, on 3,000 random cases', () => {
  const r = rng(41);
  const pick = <T>(list: T[]): T => list[Math.floor(r() * list.length)];
  const name = () => {
    const n = 1 + Math.floor(r() * 4);
    let s = Array.from({ length: n }, () => pick(LABELS)).join('.');
    if (r() < 0.1) s += '.';
    if (r() < 0.1) s = `ns/${s}`;
    if (r() < 0.05) s = pick(['*', '10.0.0.1', '::1', '']);
    return s;
  };
  for (let k = 0; k < 3_000; k++) {
    const trees: PkiTree[] = Array.from({ length: Math.floor(r() * 8) }, () => {
      const dir = pick(DIRS);
      const host = name().replace(/^ns\//, '');
      const at = (p: string) => (dir === '.' ? p : `${dir}/${p}`);
      return { dir, host, cert: at(`3_application/certs/${host}.cert.pem`), key: '', caChain: '', rootCert: '', intermediateCert: '', clients: [] };
    });
    const ci = { sources: [], byName: new Map(), trees, hasMaterial: true, hasGenerators: false, looked: new Map() } as CredentialIndex;
    const hosts = Array.from({ length: Math.floor(r() * 3) }, name);
    const certFile = r() < 0.5 ? undefined : r() < 0.5 && trees.length ? pick(trees).cert : `${pick(DIRS)}/${pick(['x.pem', '3_application/certs/y.pem'])}`;
    const cert = certFile === undefined ? undefined : ({ key: 'cert', fileId: certFile, label: certFile, mention: { fileId: certFile, start: 0, end: 0 }, bytes: undefined, inline: r() < 0.2 } as MaterialRef);
    assert.deepEqual(treesFor(ci, hosts, cert), judged(trees, hosts, cert), JSON.stringify({ trees: trees.map((t) => [t.dir, t.host]), hosts, certFile }));
  }
});
