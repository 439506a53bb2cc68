// Times, in one run, the same PKI tree (root → intermediate → server + client, with the chain file) made by
//   1. an openssl shell script following the mtls-go-example walkthrough's steps, made non-interactive (`ca -batch`);
//   2. `meshtls pki HOST --profile P` as a whole process (node start-up included);
//   3. generatePki() in-process (what the extension pays), for ECDSA and RSA.
// Usage: node bench/pki.mjs [--runs-rsa N] [--runs-ecdsa N]
// Prints medians [min–max] in ms and the ratios the issue sets targets for. Not a test: figures vary per machine.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const RUNS_RSA = opt('--runs-rsa', 5);
const RUNS_ECDSA = opt('--runs-ecdsa', 15);
const HOST = 'frontend.foocorp.com';
const root = resolve(new URL('.', import.meta.url).pathname, '..');
const work = join(root, 'bench/.work/pki');
const cli = join(root, 'dist/cli.js');

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
// Time what ships: the production build of esbuild.mjs (minified, ES module builds preferred, `pki` in its own
// bundle beside dist/cli.js).
const built = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) throw new Error('esbuild.mjs failed');

// A minimal CA configuration in the spirit of the walkthrough's openssl.cnf: a database-backed `openssl ca` with
// the same extension sections (v3_ca, v3_intermediate_ca, server_cert, usr_cert), plus the SAN the generator adds.
function caConfig(dir, policy) {
  return `[ ca ]
default_ca = CA_default
[ CA_default ]
dir = ${dir}
certs = $dir/certs
new_certs_dir = $dir/newcerts
database = $dir/index.txt
serial = $dir/serial
private_key = $dir/private/${dir === '1_root' ? 'ca' : 'intermediate'}.key.pem
certificate = $dir/certs/${dir === '1_root' ? 'ca' : 'intermediate'}.cert.pem
default_md = sha256
default_days = 375
preserve = no
unique_subject = no
policy = ${policy}
copy_extensions = none
[ policy_strict ]
countryName = match
stateOrProvinceName = match
organizationName = match
commonName = supplied
[ policy_loose ]
commonName = supplied
organizationName = optional
[ req ]
distinguished_name = req_dn
string_mask = utf8only
default_md = sha256
[ req_dn ]
[ v3_ca ]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always,issuer
basicConstraints = critical, CA:true
keyUsage = critical, digitalSignature, cRLSign, keyCertSign
[ v3_intermediate_ca ]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always,issuer
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, digitalSignature, cRLSign, keyCertSign
[ server_cert ]
basicConstraints = CA:FALSE
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid,issuer:always
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:${HOST}
[ usr_cert ]
basicConstraints = CA:FALSE
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid,issuer
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
subjectAltName = DNS:${HOST}
`;
}

writeFileSync(join(work, 'openssl.cnf'), caConfig('1_root', 'policy_strict'));
writeFileSync(join(work, 'intermediate_openssl.cnf'), caConfig('2_intermediate', 'policy_loose'));

// generate.sh's steps; only the key commands differ between profiles.
writeFileSync(
  join(work, 'generate.sh'),
  `#!/bin/bash -e
# usage: generate.sh rsa|ecdsa OUTDIR
profile=$1; cd "$2"; cp ../openssl.cnf ../intermediate_openssl.cnf .
D=${HOST}; SUBJ="/C=US/ST=Denial/L=Springfield/O=Dis"
key() { # key FILE BITS [encrypt]
  if [ "$profile" = ecdsa ]; then
    if [ -n "$3" ]; then openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes256 -pass pass:secretpass -out "$1" 2>/dev/null
    else openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; fi
  else
    if [ -n "$3" ]; then openssl genrsa -aes256 -passout pass:secretpass -out "$1" "$2" 2>/dev/null
    else openssl genrsa -out "$1" "$2" 2>/dev/null; fi
  fi
}
mkdir -p 1_root/{certs,newcerts,private} 2_intermediate/{certs,csr,newcerts,private} 3_application/{certs,csr,private} 4_client/{certs,csr,private}
touch 1_root/index.txt 2_intermediate/index.txt; echo 100212 > 1_root/serial; echo 100212 > 2_intermediate/serial
key 1_root/private/ca.key.pem 4096 enc
openssl req -config openssl.cnf -key 1_root/private/ca.key.pem -passin pass:secretpass -new -x509 -days 7300 -sha256 -extensions v3_ca -out 1_root/certs/ca.cert.pem -subj "$SUBJ/CN=$D Root CA"
key 2_intermediate/private/intermediate.key.pem 4096 enc
openssl req -config openssl.cnf -new -sha256 -key 2_intermediate/private/intermediate.key.pem -passin pass:secretpass -out 2_intermediate/csr/intermediate.csr.pem -subj "$SUBJ/CN=$D Intermediate CA"
openssl ca -batch -config openssl.cnf -extensions v3_intermediate_ca -days 3650 -notext -md sha256 -passin pass:secretpass -in 2_intermediate/csr/intermediate.csr.pem -out 2_intermediate/certs/intermediate.cert.pem 2>/dev/null
cat 2_intermediate/certs/intermediate.cert.pem 1_root/certs/ca.cert.pem > 2_intermediate/certs/ca-chain.cert.pem
key 3_application/private/$D.key.pem 2048
openssl req -config intermediate_openssl.cnf -key 3_application/private/$D.key.pem -new -sha256 -out 3_application/csr/$D.csr.pem -subj "$SUBJ/CN=$D"
openssl ca -batch -config intermediate_openssl.cnf -extensions server_cert -days 375 -notext -md sha256 -passin pass:secretpass -in 3_application/csr/$D.csr.pem -out 3_application/certs/$D.cert.pem 2>/dev/null
key 4_client/private/$D.key.pem 2048
openssl req -config intermediate_openssl.cnf -key 4_client/private/$D.key.pem -new -sha256 -out 4_client/csr/$D.csr.pem -subj "$SUBJ/CN=$D client"
openssl ca -batch -config intermediate_openssl.cnf -extensions usr_cert -days 375 -notext -md sha256 -passin pass:secretpass -in 4_client/csr/$D.csr.pem -out 4_client/certs/$D.cert.pem 2>/dev/null
openssl verify -CAfile 2_intermediate/certs/ca-chain.cert.pem 3_application/certs/$D.cert.pem 4_client/certs/$D.cert.pem >/dev/null
`,
);

let seq = 0;
/**
 * Wall and CPU (user + sys, children included) time of one command, from bash's `time`: on a shared machine the CPU
 * figure is the steadier one, while the targets are about wall time.
 */
function timeProcess(argv, cwd) {
  const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('bash', ['-c', `TIMEFORMAT='%R %U %S'; time ${quoted} >/dev/null 2>&1`], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (exit ${r.status}): ${r.stderr}`);
  const [real, user, sys] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { wall: real * 1000, cpu: (user + sys) * 1000 };
}

function opensslRun(profile) {
  const dir = join(work, `o${seq++}`);
  mkdirSync(dir);
  return timeProcess(['bash', join(work, 'generate.sh'), profile, dir], work);
}

function meshtlsRun(profile) {
  const dir = join(work, `m${seq++}`);
  return timeProcess([process.execPath, cli, 'pki', HOST, '--profile', profile, '--out', dir], work);
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const median = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { median, min: s[0], max: s[s.length - 1] };
};
const fmt = ({ median, min, max }) => `${median.toFixed(1)} [${min.toFixed(1)}–${max.toFixed(1)}]`;

// Interleave the peers run by run so machine load drifts affect both alike.
function compare(profile, runs) {
  const o = [];
  const m = [];
  for (let i = 0; i < runs; i++) {
    o.push(opensslRun(profile));
    m.push(meshtlsRun(profile));
  }
  const pick = (xs, k) => stats(xs.map((x) => x[k]));
  return { openssl: { wall: pick(o, 'wall'), cpu: pick(o, 'cpu') }, meshtls: { wall: pick(m, 'wall'), cpu: pick(m, 'cpu') } };
}

// In-process: bundle the pure core once, then call generatePki directly.
const bundle = join(work, 'core-pki.cjs');
await build({ entryPoints: [join(root, 'src/core/pki/index.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, mainFields: ['module', 'main'], logLevel: 'warning' });
const { generatePki } = createRequire(import.meta.url)(bundle);
async function inProcess(profile, runs) {
  const xs = [];
  for (let i = 0; i < runs + 3; i++) {
    const t = performance.now();
    await generatePki({ hosts: [HOST], profile, now: new Date() });
    if (i >= 3) xs.push(performance.now() - t); // the first runs pay for JIT warm-up
  }
  return stats(xs);
}

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`PKI tree (root → intermediate → server + client + chain) for ${HOST}; node ${process.version}; ${cpus().length} CPUs; load ${load()}`);
console.log('ms, median [min–max]');
const row = (label, r, target) => {
  console.log(`${label}`);
  console.log(`  wall  openssl script ${fmt(r.openssl.wall).padEnd(26)} meshtls pki ${fmt(r.meshtls.wall).padEnd(26)} ratio ${(r.meshtls.wall.median / r.openssl.wall.median).toFixed(2)}×  (target ${target})`);
  console.log(`  cpu   openssl script ${fmt(r.openssl.cpu).padEnd(26)} meshtls pki ${fmt(r.meshtls.cpu).padEnd(26)} ratio ${(r.meshtls.cpu.median / r.openssl.cpu.median).toFixed(2)}×`);
};
const ecdsa = compare('ecdsa', RUNS_ECDSA);
row(`ecdsa P-256, whole process (${RUNS_ECDSA} runs each)`, ecdsa, '≤ 1.0×');
const rsa = compare('rsa', RUNS_RSA);
row(`rsa 4096-bit CAs / 2048-bit leaves, whole process (${RUNS_RSA} runs each)`, rsa, '≤ 0.6×');
const ecIn = await inProcess('ecdsa', 30);
console.log(`in-process generatePki ecdsa (30 runs)  ${fmt(ecIn)}  (target ≤ 20 ms)`);
const rsaIn = await inProcess('rsa', RUNS_RSA);
console.log(`in-process generatePki rsa (${RUNS_RSA} runs)    ${fmt(rsaIn)}  (${(rsaIn.median / rsa.openssl.wall.median).toFixed(2)}× the openssl script's wall time)`);
console.log(`load at the end ${load()}`);
rmSync(work, { recursive: true, force: true });
