// examples/foocorp-gateway-api verified end to end by outside judges: openssl verifies every certificate against the
// CA bundle the Gateway's ConfigMap carries, kubectl --dry-run=client runs every line of create-secrets.sh and shows
// the Secrets and the ConfigMap land in the namespaces the Gateway reads, and nginx (one port, two SNI hosts, client
// certificates required from the ConfigMap's bundle) serves each host to curl only with a client certificate.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { meshtls, tempDir, requireTool, tool } from './support';
import { findKubectlSecrets } from '../../src/core/index/kubectl';

const EX = resolve('examples/foocorp-gateway-api');
const HOSTS = ['frontend.foocorp.com', 'inventory.foocorp.com'] as const;
const BUNDLE = 'foocorp-client-ca.pem';

test('meshtls lint finds nothing in the example', () => {
  const r = meshtls(['lint', '.'], EX);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /No problems/);
});

test('the client CA bundle is both hosts\' ca-chain, and openssl verifies every server and client certificate with it', { skip: requireTool('openssl') }, () => {
  const chains = HOSTS.map((h) => readFileSync(join(EX, h, '2_intermediate/certs/ca-chain.cert.pem'), 'utf8')).join('');
  assert.equal(readFileSync(join(EX, BUNDLE), 'utf8'), chains);
  for (const h of HOSTS) {
    const served = `${h}/3_application/certs/${h}.cert.pem`;
    const full = readFileSync(join(EX, h, `3_application/certs/${h}.fullchain.pem`), 'utf8');
    assert.equal(full, readFileSync(join(EX, served), 'utf8') + readFileSync(join(EX, h, '2_intermediate/certs/intermediate.cert.pem'), 'utf8'));
    // The served chain verifies against the root alone: the intermediate travels with the leaf.
    const r = tool('openssl', ['verify', '-CAfile', `${h}/1_root/certs/ca.cert.pem`, '-untrusted', `${h}/3_application/certs/${h}.fullchain.pem`, served], { cwd: EX });
    assert.equal(r.status, 0, r.stderr + r.stdout);
  }
  for (const h of HOSTS) {
    for (const leaf of [`${h}/3_application/certs/${h}.cert.pem`, `${h}/4_client/certs/${h}.cert.pem`]) {
      // No -partial_chain: the root must be in the bundle and the path must be complete.
      const r = tool('openssl', ['verify', '-CAfile', BUNDLE, leaf], { cwd: EX });
      assert.equal(r.status, 0, r.stderr + r.stdout);
      assert.equal(r.stdout.trim(), `${leaf}: OK`);
    }
    const purpose = tool('openssl', ['verify', '-purpose', 'sslclient', '-CAfile', BUNDLE, `${h}/4_client/certs/${h}.cert.pem`], { cwd: EX });
    assert.equal(purpose.status, 0, purpose.stderr);
  }
});

interface KubeObject {
  kind: string;
  type?: string;
  metadata: { name: string; namespace: string };
  data: Record<string, string>;
}

test('kubectl --dry-run=client: every line of create-secrets.sh creates what the Gateway reads, where it reads it', { skip: requireTool('kubectl') }, () => {
  const script = readFileSync(join(EX, 'create-secrets.sh'), 'utf8');
  const lines = findKubectlSecrets('create-secrets.sh', script);
  assert.equal(lines.length, 3);
  const objects = lines.map((k) => {
    const cmd = script.slice(k.span.start, k.span.end).replace(/\\\n/g, ' ');
    const r = spawnSync('sh', ['-c', `${cmd} --dry-run=client -o json`], { cwd: EX, encoding: 'utf8', env: { ...process.env, KUBECONFIG: join(EX, 'no-kubeconfig') } });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as KubeObject;
  });
  const b64 = (p: string) => readFileSync(join(EX, p)).toString('base64');
  const [front, inventory, ca] = objects;
  assert.deepEqual([front.kind, front.type, front.metadata.namespace, front.metadata.name], ['Secret', 'kubernetes.io/tls', 'foocorp', 'frontend-credential']);
  assert.deepEqual(front.data, { 'tls.crt': b64('frontend.foocorp.com/3_application/certs/frontend.foocorp.com.fullchain.pem'), 'tls.key': b64('frontend.foocorp.com/3_application/private/frontend.foocorp.com.key.pem') });
  // The cross-namespace certificate lands where the ReferenceGrant lives.
  assert.deepEqual([inventory.kind, inventory.metadata.namespace, inventory.metadata.name], ['Secret', 'foocorp-certs', 'inventory-credential']);
  const grant = readFileSync(join(EX, 'reference-grant.yaml'), 'utf8');
  assert.match(grant, /namespace: foocorp-certs/);
  assert.deepEqual([ca.kind, ca.metadata.namespace, ca.metadata.name, Object.keys(ca.data)], ['ConfigMap', 'foocorp', 'foocorp-client-ca', ['ca.crt']]);
  assert.equal(ca.data['ca.crt'], readFileSync(join(EX, BUNDLE), 'utf8'));
});

function nginxBinary(): string | undefined {
  for (const candidate of ['nginx', '/usr/sbin/nginx']) if (spawnSync('sh', ['-c', `command -v ${candidate}`]).status === 0) return candidate;
  return undefined;
}
const nginx = nginxBinary();
const skipNginx = requireTool('curl') || (nginx ? false : process.env.CI === 'true' ? false : 'nginx is not installed');
let nginxProcess: ChildProcess | undefined;
after(() => nginxProcess?.kill('SIGTERM'));

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

function waitForPort(port: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((res, rej) => {
    const attempt = () => {
      const sock = connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        res();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline) rej(new Error(`nothing listens on ${port}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

function curl(host: string, port: number, client: string | undefined): Promise<{ code: number; status: string; body: string; stderr: string }> {
  // The listener serves the full chain, so a client that trusts only the root verifies it.
  const args = ['-sS', '-w', '\n%{http_code}', `-HHost:${host}`, '--resolve', `${host}:${port}:127.0.0.1`, '--cacert', `${host}/1_root/certs/ca.cert.pem`];
  if (client) args.push('--cert', `${client}/4_client/certs/${client}.cert.pem`, '--key', `${client}/4_client/private/${client}.key.pem`);
  args.push(`https://${host}:${port}/`);
  return new Promise((res) => {
    execFile('curl', args, { cwd: EX, encoding: 'utf8' }, (err, stdout, stderr) => {
      const nl = stdout.lastIndexOf('\n');
      res({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, status: stdout.slice(nl + 1), body: stdout.slice(0, Math.max(nl, 0)), stderr });
    });
  });
}

test('nginx configured like the Gateway (one port, SNI per listener, client CA from the ConfigMap bundle) serves each host only with a client certificate', { skip: skipNginx }, async () => {
  assert.ok(nginx, 'nginx is required in CI (see .ci/run)');
  const prefix = tempDir('gwapi-nginx');
  mkdirSync(join(prefix, 'tmp'), { recursive: true });
  const port = await freePort();
  const servers = HOSTS.map(
    (h) => `
    server {
      listen 127.0.0.1:${port} ssl;
      server_name ${h};
      ssl_certificate ${join(EX, h, `3_application/certs/${h}.fullchain.pem`)};
      ssl_certificate_key ${join(EX, h, `3_application/private/${h}.key.pem`)};
      ssl_client_certificate ${join(EX, BUNDLE)};
      ssl_verify_client on;
      ssl_verify_depth 2;
      location / {
        default_type text/plain;
        return 200 "hello from $ssl_server_name to $ssl_client_s_dn\\n";
      }
    }`,
  );
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${join(prefix, 'tmp', t)};`).join('\n    ');
  writeFileSync(join(prefix, 'nginx.conf'), `daemon off;\nmaster_process off;\nworker_processes 1;\npid ${join(prefix, 'nginx.pid')};\nerror_log ${join(prefix, 'error.log')} info;\nevents { worker_connections 64; }\nhttp {\n    access_log off;\n    ${temp}\n${servers.join('\n')}\n}\n`);
  nginxProcess = spawn(nginx, ['-p', prefix, '-e', join(prefix, 'error.log'), '-c', join(prefix, 'nginx.conf')], { stdio: 'ignore' });
  await waitForPort(port, 10_000);
  for (const h of HOSTS) {
    const ok = await curl(h, port, h);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.status, '200');
    assert.equal(ok.body, `hello from ${h} to CN=${h},O=Dis,L=Springfield,ST=Denial,C=US\n`);
    const none = await curl(h, port, undefined);
    assert.equal(none.status, '400');
    assert.match(none.body, /No required SSL certificate was sent/);
  }
});
