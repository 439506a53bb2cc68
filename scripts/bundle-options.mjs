// esbuild options shared by esbuild.mjs and the tests that check what a bundle pulls in (test/cli/pki-bundle.test.ts),
// so a test measures the bundle that ships.

/** Options every bundle shares. Bundles are minified unless `production` is false (esbuild.mjs --dev). */
export function bundleOptions({ production }) {
  return {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: production ? false : 'linked',
    minify: production,
    legalComments: 'external',
    logLevel: 'warning',
    // Prefer packages' ES module builds: esbuild can drop what is never imported from them (most of @peculiar/x509's
    // ASN.1 schema set), which cuts the CLI's start-up by about a third of the x509 load cost.
    mainFields: ['module', 'main'],
  };
}

/** `meshtls pki`'s own bundle, loaded by dist/cli.js for that command only. */
export const PKI_BUNDLE = { entryPoints: ['src/cli/pki-command.ts'], outfile: 'dist/cli-pki.js' };
