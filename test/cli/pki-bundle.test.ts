// `meshtls pki` as a whole process is mostly Node start-up plus compiling its bundle, so what that bundle pulls in is
// its speed. This builds the bundle exactly as esbuild.mjs does (scripts/bundle-options.mjs) and reads esbuild's
// metafile: a new import that drags in the linter, the schema, CEL or the X.509 parsing library fails here, not in a
// benchmark nobody runs (bench/pki.mjs measures the process itself).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';

/** Bytes of minified output; the bundle is about 143 KB (asn1js alone is 60 KB), it was 245 KB with @peculiar/x509. */
const BUDGET = 160_000;

/** What the pki command has no use for: rules, YAML, schema, CEL, RE2, and the certificate parsing stack. */
const FORBIDDEN: readonly RegExp[] = [
  /^src\/core\/(rules|yaml|istio|index|inspect|lint\.ts|config\.ts|suppress\.ts)/,
  /^src\/(extension|node\/(walk|workspace|kustomize))/,
  /^src\/core\/certs\//,
  /^src\/core\/pki\/(x509|reissue|reflect-shim)\.ts$/,
  /node_modules\/(yaml|@marcbachmann\/cel-js|@bufbuild\/re2|@peculiar\/x509|tsyringe|reflect-metadata)\//,
  /\.json$/,
];

// Kept behind Function so the CommonJS transpile leaves a real dynamic import of the ES module in place.
const importEsm = new Function('url', 'return import(url)') as (url: string) => Promise<{ bundleOptions: (o: { production: boolean }) => object; PKI_BUNDLE: object }>;

async function pkiMetafile(): Promise<{ inputs: string[]; bytes: number }> {
  const { bundleOptions, PKI_BUNDLE } = await importEsm(pathToFileURL(resolve('scripts/bundle-options.mjs')).href);
  const r = await build({ ...bundleOptions({ production: true }), ...PKI_BUNDLE, write: false, metafile: true, legalComments: 'none' });
  const meta: Metafile = r.metafile!;
  const [output] = Object.entries(meta.outputs).filter(([p]) => p.endsWith('.js'));
  return { inputs: Object.keys(output[1].inputs), bytes: output[1].bytes };
}

test('the pki bundle stays within its size budget and loads nothing of the linter or the X.509 parser', async () => {
  const { inputs, bytes } = await pkiMetafile();
  // Sanity: the metafile is read right (the generator and the DER schema classes are in).
  assert.ok(inputs.includes('src/core/pki/generate.ts'), inputs.join('\n'));
  assert.ok(inputs.some((p) => p.includes('@peculiar/asn1-x509')));
  const forbidden = inputs.filter((p) => FORBIDDEN.some((re) => re.test(p)));
  assert.deepEqual(forbidden, [], `dist/cli-pki.js pulls in modules the pki command does not need:\n${forbidden.join('\n')}`);
  assert.ok(bytes <= BUDGET, `dist/cli-pki.js is ${bytes} bytes, over its budget of ${BUDGET}`);
});
