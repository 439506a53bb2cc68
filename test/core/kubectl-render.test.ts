import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';
import { renderSecret, resolveSecretSource, posixQuote, fromFileArg, defaultCredentialName, SecretInputError, SecretSourceError, type FolderView } from '../../src/core/kubectl';

const TREE = 'httpbin.example.com';
const FILES = {
  key: `${TREE}/3_application/private/${TREE}.key.pem`,
  cert: `${TREE}/3_application/certs/${TREE}.cert.pem`,
  cacert: `${TREE}/2_intermediate/certs/ca-chain.cert.pem`,
};

test('kubectl format is the walkthrough command, word for word', () => {
  const r = renderSecret({ name: 'httpbin-credential', files: FILES, format: 'kubectl' });
  assert.deepEqual(r.commands[0].argv, [
    'kubectl', 'create', '-n', 'istio-system', 'secret', 'generic', 'httpbin-credential',
    `--from-file=key=${FILES.key}`, `--from-file=cert=${FILES.cert}`, `--from-file=cacert=${FILES.cacert}`,
  ]);
  assert.equal(
    r.text,
    'kubectl create -n istio-system secret generic httpbin-credential \\\n' +
      '  --from-file=key=httpbin.example.com/3_application/private/httpbin.example.com.key.pem \\\n' +
      '  --from-file=cert=httpbin.example.com/3_application/certs/httpbin.example.com.cert.pem \\\n' +
      '  --from-file=cacert=httpbin.example.com/2_intermediate/certs/ca-chain.cert.pem\n',
  );
});

test('tls format: secret tls plus NAME-cacert with ca.crt; namespace overridable', () => {
  const r = renderSecret({ name: 'web', namespace: 'gw', files: FILES, format: 'tls' });
  assert.deepEqual(r.commands.map((c) => c.argv), [
    ['kubectl', 'create', '-n', 'gw', 'secret', 'tls', 'web', `--cert=${FILES.cert}`, `--key=${FILES.key}`],
    ['kubectl', 'create', '-n', 'gw', 'secret', 'generic', 'web-cacert', `--from-file=ca.crt=${FILES.cacert}`],
  ]);
  const simple = renderSecret({ name: 'web', files: { cert: 'c.pem', key: 'k.pem' }, format: 'tls' });
  assert.equal(simple.commands.length, 1);
  assert.equal(simple.text, 'kubectl create -n istio-system secret tls web --cert=c.pem --key=k.pem\n');
});

test('yaml format embeds base64 data under the generic keys', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  const r = renderSecret({
    name: 'web',
    files: FILES,
    format: 'yaml',
    contents: { cert: enc('CERT\n'), key: enc('KEY\n'), cacert: enc('CA\n') },
  });
  assert.deepEqual(parse(r.text), {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'web', namespace: 'istio-system' },
    type: 'Opaque',
    data: { cacert: 'Q0EK', cert: 'Q0VSVAo=', key: 'S0VZCg==' },
  });
  assert.throws(() => renderSecret({ name: 'web', files: FILES, format: 'yaml' }), SecretInputError);
});

test('names and namespaces that kubectl would reject are refused up front', () => {
  assert.throws(() => renderSecret({ name: 'Web_Cred', files: FILES, format: 'kubectl' }), /not a valid Kubernetes name/);
  assert.throws(() => renderSecret({ name: 'web', namespace: 'a.b', files: FILES, format: 'kubectl' }), /not a valid Kubernetes namespace/);
  assert.equal(defaultCredentialName('HttpBin.example.com'), 'httpbin-credential');
});

const NASTY = [
  'plain/path.pem',
  'my certs/key.pem',
  "it's/key.pem",
  'dollar $HOME/key.pem',
  'back`tick`/key.pem',
  'double "quoted"/key.pem',
  'glob */?[a]/key.pem',
  'semi;colon & amp|pipe/key.pem',
  'new\nline/key.pem',
  '-leading-dash.pem',
  'tab\there/back\\slash.pem',
  'unicode ü €/key.pem',
];

/** Runs the display string in a real POSIX shell with `kubectl` replaced by a function that prints its argv. */
function shellArgv(display: string): string[] {
  const script = `kubectl() { printf 'kubectl\\0'; for a in "$@"; do printf '%s\\0' "$a"; done; }\n${display}`;
  const r = spawnSync('sh', ['-c', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\0').slice(0, -1);
}

test('display strings parse back to the exact argv in sh, for paths with spaces, quotes, $, backticks, newlines', () => {
  for (const p of NASTY) {
    for (const format of ['kubectl', 'tls'] as const) {
      const r = renderSecret({ name: 'web', files: { cert: `${p}.crt`, key: p, cacert: `ca ${p}` }, format });
      for (const c of r.commands) assert.deepEqual(shellArgv(c.display), c.argv, `${format}: ${JSON.stringify(p)}`);
    }
  }
  assert.equal(posixQuote("it's"), `'it'\\''s'`);
  // kubectl reads --from-file as a CSV record: commas and double quotes need a quoted CSV field inside the shell word.
  assert.equal(fromFileArg('key', 'a,b.pem'), '--from-file="key=a,b.pem"');
  assert.equal(fromFileArg('key', 'say "hi".pem'), '--from-file="key=say ""hi"".pem"');
  assert.equal(fromFileArg('key', "it's.pem"), "--from-file=key=it's.pem");
  assert.equal(posixQuote(''), `''`);
});

test('powershell form quotes with single quotes, doubling embedded ones, and continues lines with a backtick', () => {
  const r = renderSecret({ name: 'web', files: { cert: "C:\\it's here\\c.pem", key: 'C:\\k.pem', cacert: 'C:\\$ca.pem' }, format: 'powershell' });
  assert.equal(
    r.text,
    'kubectl create -n istio-system secret generic web `\n' +
      '  --from-file=key=C:\\k.pem `\n' +
      "  '--from-file=cert=C:\\it''s here\\c.pem' `\n" +
      "  '--from-file=cacert=C:\\$ca.pem'\n",
  );
});

function view(files: string[]): FolderView {
  const set = new Set(files);
  return {
    isFile: (p) => set.has(p),
    list: (p) => {
      const prefix = p === '.' ? '' : `${p}/`;
      const names = new Set(files.filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length).split('/')[0]));
      return names.size ? [...names] : undefined;
    },
  };
}

const perHost = (h: string) => [
  `${h}/3_application/certs/${h}.cert.pem`,
  `${h}/3_application/private/${h}.key.pem`,
  `${h}/2_intermediate/certs/ca-chain.cert.pem`,
];

test('secret sources: per-host tree by --host, single-host tree, shared-CA tree, credential folders', () => {
  const v = view([...perHost('a.example.com'), ...perHost('b.example.com'), 'cred/tls.crt', 'cred/tls.key', 'cred/ca.crt', 'gen/cert', 'gen/key']);
  assert.deepEqual(resolveSecretSource({ from: '.', host: 'b.example.com', view: v }), {
    kind: 'tree',
    host: 'b.example.com',
    files: {
      cert: 'b.example.com/3_application/certs/b.example.com.cert.pem',
      key: 'b.example.com/3_application/private/b.example.com.key.pem',
      cacert: 'b.example.com/2_intermediate/certs/ca-chain.cert.pem',
    },
  });
  assert.equal(resolveSecretSource({ from: 'a.example.com', view: v }).files.cert, 'a.example.com/3_application/certs/a.example.com.cert.pem');
  assert.throws(() => resolveSecretSource({ from: '.', view: v }), /PKI trees for a\.example\.com, b\.example\.com; pick one with --host/);
  assert.deepEqual(resolveSecretSource({ from: 'cred', view: v }), { kind: 'credential-folder', files: { cert: 'cred/tls.crt', key: 'cred/tls.key', cacert: 'cred/ca.crt' } });
  assert.deepEqual(resolveSecretSource({ from: 'gen/', view: v }).files, { cert: 'gen/cert', key: 'gen/key' });

  const shared = view(['out/3_application/certs/a.example.com.cert.pem', 'out/3_application/private/a.example.com.key.pem', 'out/3_application/certs/b.example.com.cert.pem', 'out/3_application/private/b.example.com.key.pem', 'out/2_intermediate/certs/ca-chain.cert.pem']);
  assert.equal(resolveSecretSource({ from: 'out', host: 'a.example.com', view: shared }).files.key, 'out/3_application/private/a.example.com.key.pem');
  assert.throws(() => resolveSecretSource({ from: 'out', view: shared }), /several hosts \(a\.example\.com, b\.example\.com\)/);
  assert.throws(() => resolveSecretSource({ from: '.', host: 'c.example.com', view: v }), SecretSourceError);
});
