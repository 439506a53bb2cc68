import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, meshtls, tempDir } from '../pki/support';

const H = 'frontend.foocorp.com';
const SERVER_KEY = `${H}/3_application/private/${H}.key.pem`;

/** Every path under dir, '/'-separated, sorted; hidden temp folders included so leftovers show. */
function listing(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix))
    .sort()
    .flatMap((n) => {
      const rel = prefix ? `${prefix}/${n}` : n;
      return statSync(join(dir, rel)).isDirectory() ? [`${rel}/`, ...listing(dir, rel)] : [rel];
    });
}

test('pki prints the tree it wrote and the walkthrough kubectl line as the next step', () => {
  const dir = tempDir('cli-pki');
  const r = meshtls(['pki', H, '--profile', 'ecdsa'], dir);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  assert.match(r.out, /^Wrote 12 files \(ecdsa\) to \.\/\n└── frontend\.foocorp\.com\/\n    ├── 1_root\//);
  assert.ok(
    r.out.includes(
      'kubectl create -n istio-system secret generic frontend-credential \\\n' +
        '  --from-file=key=frontend.foocorp.com/3_application/private/frontend.foocorp.com.key.pem \\\n' +
        '  --from-file=cert=frontend.foocorp.com/3_application/certs/frontend.foocorp.com.cert.pem \\\n' +
        '  --from-file=cacert=frontend.foocorp.com/2_intermediate/certs/ca-chain.cert.pem\n',
    ),
    r.out,
  );
  assert.deepEqual(listing(dir), [
    `${H}/`,
    `${H}/1_root/`, `${H}/1_root/certs/`, `${H}/1_root/certs/ca.cert.pem`, `${H}/1_root/private/`, `${H}/1_root/private/ca.key.pem`,
    `${H}/2_intermediate/`, `${H}/2_intermediate/certs/`, `${H}/2_intermediate/certs/ca-chain.cert.pem`, `${H}/2_intermediate/certs/intermediate.cert.pem`,
    `${H}/2_intermediate/csr/`, `${H}/2_intermediate/csr/intermediate.csr.pem`, `${H}/2_intermediate/private/`, `${H}/2_intermediate/private/intermediate.key.pem`,
    `${H}/3_application/`, `${H}/3_application/certs/`, `${H}/3_application/certs/${H}.cert.pem`, `${H}/3_application/csr/`, `${H}/3_application/csr/${H}.csr.pem`,
    `${H}/3_application/private/`, `${H}/3_application/private/${H}.key.pem`,
    `${H}/4_client/`, `${H}/4_client/certs/`, `${H}/4_client/certs/${H}.cert.pem`, `${H}/4_client/csr/`, `${H}/4_client/csr/${H}.csr.pem`,
    `${H}/4_client/private/`, `${H}/4_client/private/${H}.key.pem`,
  ]);
});

test('existing files are never overwritten without --force; with --force they are replaced atomically', () => {
  const dir = tempDir('cli-force');
  assert.equal(meshtls(['pki', H, '--profile', 'ecdsa'], dir).code, 0);
  writeFileSync(join(dir, SERVER_KEY), 'mine\n');
  writeFileSync(join(dir, H, 'notes.txt'), 'keep me\n');

  const refused = meshtls(['pki', H, '--profile', 'ecdsa'], dir);
  assert.equal(refused.code, 1);
  assert.equal(refused.out, '');
  assert.match(refused.err, /^meshtls pki: 12 files already exist: frontend\.foocorp\.com\/1_root\/certs\/ca\.cert\.pem, .*\nNothing was written\. Use --force/);
  assert.equal(readFileSync(join(dir, SERVER_KEY), 'utf8'), 'mine\n');

  const forced = meshtls(['pki', H, '--profile', 'ecdsa', '--force'], dir);
  assert.equal(forced.code, 0, forced.err);
  assert.match(readFileSync(join(dir, SERVER_KEY), 'utf8'), /^-----BEGIN PRIVATE KEY-----\n/);
  assert.equal(statSync(join(dir, SERVER_KEY)).mode & 0o777, 0o600);
  // Files the tree does not own survive, and no temp folder is left behind.
  assert.equal(readFileSync(join(dir, H, 'notes.txt'), 'utf8'), 'keep me\n');
  assert.deepEqual(listing(dir).filter((p) => p.includes('.meshtls-tmp')), []);
});

test('a new host next to an existing tree is added without --force', () => {
  const dir = tempDir('cli-add');
  assert.equal(meshtls(['pki', H, '--profile', 'ecdsa'], dir).code, 0);
  const r = meshtls(['pki', 'inventory.foocorp.com', '--profile', 'ecdsa'], dir);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(readdirSync(dir).sort(), [H, 'inventory.foocorp.com']);
});

test('a failure halfway through writing leaves no partial tree', () => {
  const dir = tempDir('cli-halfway');
  // The second host's folder is blocked by a plain file, so the first host is already in place when writing fails.
  writeFileSync(join(dir, 'inventory.foocorp.com'), 'not a folder\n');
  const r = meshtls(['pki', H, 'inventory.foocorp.com', '--profile', 'ecdsa'], dir);
  assert.equal(r.code, 2);
  assert.match(r.err, /^meshtls pki: could not write the tree: (ENOTDIR|EEXIST).*\nNothing was written\.\n$/);
  assert.deepEqual(listing(dir), ['inventory.foocorp.com']);
  assert.equal(readFileSync(join(dir, 'inventory.foocorp.com'), 'utf8'), 'not a folder\n');
});

test('a failure halfway through --force restores the files it had already replaced', () => {
  const dir = tempDir('cli-halfway-force');
  assert.equal(meshtls(['pki', H, '--profile', 'ecdsa'], dir).code, 0);
  const before = readFileSync(join(dir, SERVER_KEY), 'utf8');
  writeFileSync(join(dir, 'inventory.foocorp.com'), 'not a folder\n');
  const r = meshtls(['pki', H, 'inventory.foocorp.com', '--profile', 'ecdsa', '--force'], dir);
  assert.equal(r.code, 2);
  assert.equal(readFileSync(join(dir, SERVER_KEY), 'utf8'), before);
  assert.deepEqual(listing(dir).filter((p) => p.includes('.meshtls-tmp')), []);
});

test('an interrupted run (Ctrl-C during RSA key generation) leaves nothing behind', async () => {
  const dir = tempDir('cli-interrupt');
  const child = spawn(process.execPath, [CLI, 'pki', H, 'inventory.foocorp.com', '--profile', 'rsa'], { cwd: dir });
  let err = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  await new Promise<void>((resolve) => {
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('generating 8 RSA keys')) resolve();
    });
  });
  child.kill('SIGINT');
  const { code, signal } = await exited;
  assert.ok(signal === 'SIGINT' || code === 130, `exit ${code} ${signal}`);
  assert.deepEqual(readdirSync(dir), []);
});

test('--shared-ca: one root and intermediate, every host\'s leaves side by side; --json lists files and secrets', () => {
  const dir = tempDir('cli-shared');
  const r = meshtls(['pki', H, 'inventory.foocorp.com', '--profile', 'ecdsa', '--shared-ca', '--out', 'pki', '--json'], dir);
  assert.equal(r.code, 0, r.err);
  const json = JSON.parse(r.out);
  assert.equal(json.out, 'pki');
  assert.equal(json.sharedCa, true);
  assert.equal(json.files.length, 18);
  assert.deepEqual(json.files.slice(0, 2), [
    { path: 'pki/1_root/certs/ca.cert.pem', mode: '0644' },
    { path: 'pki/1_root/private/ca.key.pem', mode: '0600' },
  ]);
  assert.deepEqual(json.hosts.map((h: { host: string; secret: { name: string; argv: string[] } }) => [h.host, h.secret.name, h.secret.argv.at(-1)]), [
    [H, 'frontend-credential', '--from-file=cacert=pki/2_intermediate/certs/ca-chain.cert.pem'],
    ['inventory.foocorp.com', 'inventory-credential', '--from-file=cacert=pki/2_intermediate/certs/ca-chain.cert.pem'],
  ]);
  assert.deepEqual(readdirSync(join(dir, 'pki')).sort(), ['1_root', '2_intermediate', '3_application', '4_client']);
  assert.deepEqual(readdirSync(join(dir, 'pki/4_client/certs')).sort(), [`${H}.cert.pem`, 'inventory.foocorp.com.cert.pem']);

  const secret = meshtls(['secret', 'inv', '--from', 'pki', '--host', 'inventory.foocorp.com'], dir);
  assert.equal(secret.code, 0, secret.err);
  assert.match(secret.out, /--from-file=key=pki\/3_application\/private\/inventory\.foocorp\.com\.key\.pem/);
});

test('secret from a credential folder, and the errors a user can hit', () => {
  const dir = tempDir('cli-secret');
  mkdirSync(join(dir, 'cred'));
  for (const f of ['tls.crt', 'tls.key']) writeFileSync(join(dir, 'cred', f), 'x\n');
  const r = meshtls(['secret', 'web', '--from', 'cred', '--format', 'tls'], dir);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, 'kubectl create -n istio-system secret tls web \\\n  --cert=cred/tls.crt \\\n  --key=cred/tls.key\n');
  assert.match(r.err, /no client CA found next to cred\/tls\.crt/);

  const missing = meshtls(['secret', 'web', '--host', 'nowhere.example.com'], dir);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /No server certificate for "nowhere\.example\.com"/);
  assert.equal(meshtls(['secret', 'Bad_Name', '--from', 'cred'], dir).code, 2);
  assert.equal(meshtls(['pki', '../escape', '--profile', 'ecdsa'], dir).code, 2);
  assert.match(meshtls(['pki', H, '--profile', 'dsa'], dir).err, /--profile must be one of rsa, ecdsa/);
  assert.match(meshtls(['pki', H, '--days-leaf', 'ten'], dir).err, /--days-leaf must be a whole number/);
  assert.match(meshtls(['pki', '--help'], dir).out, /^Usage: meshtls pki HOST\.\.\./);
  assert.match(meshtls(['secret', '--help'], dir).out, /^Usage: meshtls secret NAME/);
  assert.deepEqual(readdirSync(dir), ['cred']);
});
