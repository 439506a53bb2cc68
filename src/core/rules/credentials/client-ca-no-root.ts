import { bundleTrust, credentialRule, describeCert, relatedFor, CREDENTIAL_READS_AND_NOW } from './analysis';
import { listExcerpt } from '../../certs/hostname';
import { describeChainError } from '../../certs/chain';

/** How many of the failing certificates a collapsed finding names. */
const SHOWN = 3;

/**
 * Envoy verifies client certificates without X509_V_FLAG_PARTIAL_CHAIN (envoyproxy/envoy#19326, #22350): a chain is
 * trusted only when it ends at a self-signed certificate in the CA bundle whose key signed the next link. A bundle
 * that holds only the intermediate, or the intermediate beside a root regenerated after it was signed (same name,
 * another key), verifies no client at all, although every name matches. `openssl verify -CAfile bundle` agrees.
 */
export const clientCaNoRoot = credentialRule({
  id: 'client-ca-no-root',
  needsMaterial: true,
  reads: CREDENTIAL_READS_AND_NOW,
  defaultSeverity: 'error',
  summary: 'The client CA bundle has no self-signed root that verifies its certificates, so Envoy trusts no client.',
  evaluate(a, ctx) {
    const { use, ca } = a;
    if ((use.mode !== 'MUTUAL' && use.mode !== 'OPTIONAL_MUTUAL') || !use.primary || ca.length === 0) return [];
    const t = bundleTrust(a, ctx.now);
    const severity = use.mode === 'OPTIONAL_MUTUAL' ? 'warning' : undefined;
    const bundle = ca[0];
    if (!t.hasRoot) {
      const names = ca.map((e) => describeCert(e.cert)).join(', ');
      return [{ short: 'client CA bundle has no root', message: `The client CA bundle of credential "${use.name}" trusts no client: it holds no self-signed root, only ${names} in ${bundle.ref.label}.`, severity, related: relatedFor(bundle.ref, 'client CA bundle', bundle.block) }];
    }
    if (t.broken.length === 0) return [];
    const relatedOf = ({ entry, verdict }: (typeof t.broken)[number]) => [
      ...relatedFor(entry.ref, `CA certificate ${describeCert(entry.cert)}`, entry.block),
      ...verdict.error!.lookAlikes.flatMap((l) => {
        const e = ca.find((x) => x.cert.sha256 === l.sha256);
        return e ? relatedFor(e.ref, `${describeCert(l)}: same name, another key`, e.block) : [];
      }),
    ];
    if (t.broken.length === 1) {
      const { entry, verdict } = t.broken[0];
      return [{
        short: `client CA bundle cannot verify ${describeCert(entry.cert)}`,
        message: `The client CA bundle of credential "${use.name}" trusts no client of ${describeCert(entry.cert)} (${describeChainError(verdict.error!)}) in ${bundle.ref.label}.`,
        severity,
        related: relatedOf(t.broken[0]),
      }];
    }
    // One finding per bundle, however many of its certificates fail: a bundle that is really someone's 6,000-link
    // chain gave 5,900 findings with one cause, which nobody can act on line by line. The first few are named.
    const shown = t.broken.slice(0, SHOWN);
    const names = listExcerpt(
      t.broken.map((b, i) => (i < SHOWN ? `${describeCert(b.entry.cert)} (${describeChainError(b.verdict.error!)})` : '')),
      SHOWN,
    );
    return [{
      short: `client CA bundle cannot verify ${t.broken.length.toLocaleString('en-US')} of its certificates`,
      message: `The client CA bundle of credential "${use.name}" trusts no client of ${t.broken.length.toLocaleString('en-US')} of its ${ca.length.toLocaleString('en-US')} certificates in ${bundle.ref.label}: ${names}.`,
      severity,
      related: shown.flatMap(relatedOf),
    }];
  },
});
