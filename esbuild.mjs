// Builds the extension and CLI bundles, and (with --tests) transpiles sources and tests for node:test.
import { build } from 'esbuild';
import { readdirSync, statSync, rmSync, cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { bundleOptions, PKI_BUNDLE } from './scripts/bundle-options.mjs';

const args = new Set(process.argv.slice(2));
// Bundles are minified unless --dev: a smaller file is parsed faster, which is most of a short CLI run's start-up and
// of the extension's load. --dev keeps names and writes source maps for debugging.
const production = !args.has('--dev');

function walk(dir, out = [], ext = '.ts') {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out, ext);
    else if (p.endsWith(ext) && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

if (args.has('--tests')) {
  // Tests run against plain transpiled modules (no bundling) so each test imports exactly what it tests.
  rmSync('out', { recursive: true, force: true });
  await build({
    entryPoints: [...walk('src'), ...walk('test'), ...walk('bench')].filter((p) => !p.startsWith(join('test', 'extension', 'suite'))),
    outdir: 'out',
    outbase: '.',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  // Unbundled modules require() their JSON data at run time, so it has to sit beside them.
  for (const p of walk('src', [], '.json')) cpSync(p, join('out', p));
} else {
  const common = bundleOptions({ production });
  // A short CLI process spends most of its start-up with V8 compiling the bundle, so dist/cli.js only dispatches:
  // `meshtls pki` loads dist/cli-pki.js (about 145 KB: the ASN.1 schema classes it builds certificates with, no
  // @peculiar/x509, no rules; test/cli/pki-bundle.test.ts holds it to a budget), every other command dist/cli-lint.js
  // (the YAML parser, the rules and the X.509 library), each on first use.
  const apart = { './pki-command': './cli-pki.js', './lint-command': './cli-lint.js', './inspect-command': './cli-lint.js', './secret-command': './cli-lint.js', '../core/rules/registry': './cli-lint.js' };
  // Each import of a command becomes a small module that require()s the sibling bundle: a plain require stays on
  // the CommonJS loader, where an external import() would go through the slower ES module loader.
  const commandsApart = {
    name: 'commands-apart',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\/[\w/-]+$/ }, (a) =>
        a.importer.endsWith(join('src', 'cli', 'main.ts')) && apart[a.path] ? { path: apart[a.path], namespace: 'apart' } : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'apart' }, (a) => ({ contents: `module.exports = require(${JSON.stringify(a.path)});`, loader: 'js' }));
      b.onResolve({ filter: /^\.\/cli-(pki|lint)\.js$/ }, (a) => ({ path: a.path, external: true }));
    },
  };
  const lintEntry = {
    contents: [
      "export { lintCommand } from './src/cli/lint-command';",
      "export { inspectCommand } from './src/cli/inspect-command';",
      "export { secretCommand } from './src/cli/secret-command';",
      "export { RULES } from './src/core/rules/registry';",
    ].join('\n'),
    resolveDir: '.',
    sourcefile: 'cli-lint.ts',
    loader: 'ts',
  };
  await Promise.all([
    build({ ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
    build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [commandsApart] }),
    build({ ...common, ...PKI_BUNDLE }),
    build({ ...common, stdin: lintEntry, outfile: 'dist/cli-lint.js' }),
  ]);
}
