// The walkthrough's last step, for real: a TLS server that requires client certificates serves the generated server
// certificate, and curl with the walkthrough's own flags gets the page only with the right client certificate.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, connect } from 'node:net';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { join } from 'node:path';
import { meshtls, tempDir, requireTool } from './support';

const HOSTS = ['frontend.foocorp.com', 'inventory.foocorp.com'] as const;
const skipCurl = requireTool('curl');
let dir = '';

before(() => {
  if (skipCurl) return;
  dir = tempDir('mtls');
  const r = meshtls(['pki', ...HOSTS, '--profile', 'ecdsa'], dir);
  assert.equal(r.code, 0, r.err);
  for (const h of HOSTS) {
    // What a gateway serves: the leaf followed by the intermediate, so clients holding only the root can verify.
    writeFileSync(join(dir, `${h}.fullchain.pem`), readFileSync(join(dir, h, `3_application/certs/${h}.cert.pem`), 'utf8') + readFileSync(join(dir, h, '2_intermediate/certs/intermediate.cert.pem'), 'utf8'));
  }
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function waitForPort(port: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const sock = connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        resolve();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listens on ${port}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

interface CurlResult {
  code: number;
  status: string;
  body: string;
  stderr: string;
}

/**
 * The walkthrough's curl line (`-HHost:… --resolve … --cacert … --cert … --key …`), run from the folder holding the
 * trees so the paths are the walkthrough's. `-sS -w` only make the result readable. Asynchronous, because the Node
 * server below shares this process's event loop.
 */
function curl(host: string, port: number, client: { tree: string } | undefined): Promise<CurlResult> {
  const args = ['-sS', '-w', '\n%{http_code}', `-HHost:${host}`, '--resolve', `${host}:${port}:127.0.0.1`, '--cacert', `${host}/2_intermediate/certs/ca-chain.cert.pem`];
  if (client) args.push('--cert', `${client.tree}/4_client/certs/${client.tree}.cert.pem`, '--key', `${client.tree}/4_client/private/${client.tree}.key.pem`);
  args.push(`https://${host}:${port}/`);
  return new Promise((resolve) => {
    execFile('curl', args, { cwd: dir, encoding: 'utf8' }, (err, stdout, stderr) => {
      const nl = stdout.lastIndexOf('\n');
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, status: stdout.slice(nl + 1), body: stdout.slice(0, Math.max(nl, 0)), stderr });
    });
  });
}

function nginxBinary(): string | undefined {
  for (const candidate of ['nginx', '/usr/sbin/nginx']) {
    if (spawnSync('sh', ['-c', `command -v ${candidate}`]).status === 0) return candidate;
  }
  return undefined;
}

const nginx = nginxBinary();
const skipNginx = skipCurl || (nginx ? false : process.env.CI === 'true' ? false : 'nginx is not installed');
let nginxProcess: ChildProcess | undefined;
const nginxPorts = new Map<string, number>();

after(() => {
  nginxProcess?.kill('SIGTERM');
});

test('nginx (ssl_verify_client on) serves each host to curl with that host\'s client certificate', { skip: skipNginx }, async () => {
  assert.ok(nginx, 'nginx is required in CI (see .ci/run)');
  const prefix = join(dir, 'nginx');
  mkdirSync(join(prefix, 'tmp'), { recursive: true });
  const servers: string[] = [];
  for (const h of HOSTS) {
    const port = await freePort();
    nginxPorts.set(h, port);
    servers.push(`
    server {
      listen 127.0.0.1:${port} ssl;
      server_name ${h};
      ssl_certificate ${join(dir, `${h}.fullchain.pem`)};
      ssl_certificate_key ${join(dir, h, `3_application/private/${h}.key.pem`)};
      ssl_client_certificate ${join(dir, h, '2_intermediate/certs/ca-chain.cert.pem')};
      ssl_verify_client on;
      ssl_verify_depth 2;
      location / {
        default_type text/plain;
        return 200 "hello from $ssl_server_name to $ssl_client_s_dn\\n";
      }
    }`);
  }
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${join(prefix, 'tmp', t)};`).join('\n    ');
  writeFileSync(
    join(prefix, 'nginx.conf'),
    `daemon off;
master_process off;
worker_processes 1;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'error.log')} info;
events { worker_connections 64; }
http {
    access_log off;
    ${temp}
${servers.join('\n')}
}
`,
  );
  nginxProcess = spawn(nginx, ['-p', prefix, '-e', join(prefix, 'error.log'), '-c', join(prefix, 'nginx.conf')], { stdio: 'ignore' });
  for (const port of nginxPorts.values()) await waitForPort(port, 10_000);

  for (const h of HOSTS) {
    const ok = await curl(h, nginxPorts.get(h)!, { tree: h });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.status, '200');
    assert.equal(ok.body, `hello from ${h} to CN=${h} client,O=meshtls\n`);
  }
});

test('nginx refuses a request without a client certificate, and one with the other host\'s client certificate', { skip: skipNginx }, async () => {
  assert.ok(nginxProcess, 'nginx did not start');
  const [front, inventory] = HOSTS;
  // nginx finishes the TLS handshake and then answers 400 instead of the page: that is its form of refusal.
  const none = await curl(front, nginxPorts.get(front)!, undefined);
  assert.equal(none.status, '400');
  assert.match(none.body, /No required SSL certificate was sent/);
  const other = await curl(front, nginxPorts.get(front)!, { tree: inventory });
  assert.equal(other.status, '400');
  assert.match(other.body, /The SSL certificate error/);
  assert.doesNotMatch(other.body + none.body, /hello from/);
});

/** Node's TLS server aborts the handshake itself when the client certificate is missing or untrusted. */
async function withNodeServer(host: string, run: (port: number) => Promise<void>): Promise<void> {
  const read = (p: string) => readFileSync(join(dir, p));
  const server: Server = createHttpsServer(
    {
      key: read(`${host}/3_application/private/${host}.key.pem`),
      cert: read(`${host}.fullchain.pem`),
      ca: read(`${host}/2_intermediate/certs/ca-chain.cert.pem`),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
      res.end(`hello from ${host} to ${peer.subject.CN}\n`);
    },
  );
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run((server.address() as { port: number }).port);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

test('node https (requestCert + rejectUnauthorized): the handshake succeeds only with the host\'s own client certificate', { skip: skipCurl }, async () => {
  const [front, inventory] = HOSTS;
  await withNodeServer(front, async (port) => {
    const ok = await curl(front, port, { tree: front });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.body, `hello from ${front} to ${front} client\n`);

    // No HTTP answer at all (status 000): the server tore the TLS session down. curl names it 35 (handshake
    // failed), 56 (alert while receiving) or 52 (connection closed), depending on when TLS 1.3 noticed.
    const refused = [35, 52, 56];
    const none = await curl(front, port, undefined);
    assert.ok(refused.includes(none.code), `exit ${none.code}: ${none.stderr}`);
    assert.equal(none.status, '000');
    const other = await curl(front, port, { tree: inventory });
    assert.ok(refused.includes(other.code), `exit ${other.code}: ${other.stderr}`);
    assert.equal(other.status, '000');
  });
});
