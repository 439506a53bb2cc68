import { credentialRule, describeCert, relatedFor, type CertEntry, CREDENTIAL_READS_AND_NOW } from './analysis';
import { CertPool, describeChainError, verifyChain } from '../../certs/chain';

/**
 * The served chain, completed with the CA certificates the workspace holds for it (CA bundle, PKI tree), reaches a
 * root whose key did not sign the next link, an issuer that is not a CA, or a pathLenConstraint it breaks: no client
 * verifies it, whatever it trusts. Only what the workspace can decide is reported — a chain whose root is simply not
 * in the workspace (a public CA) is cert-chain-incomplete's business, dates are cert-expired's.
 */
export const certChainInvalid = credentialRule({
  id: 'cert-chain-invalid',
  needsMaterial: true,
  reads: CREDENTIAL_READS_AND_NOW,
  defaultSeverity: 'error',
  summary: "The server certificate's chain fails verification: a signature, CA flag or path length is wrong.",
  evaluate({ served, leaf, store }, ctx) {
    if (!leaf || leaf.cert.selfIssued) return [];
    const known: CertEntry[] = [...served, ...store];
    const roots = new CertPool(known.filter((e) => e.cert.selfIssued).map((e) => e.cert));
    if (roots.size === 0) return [];
    const untrusted = new CertPool(known.filter((e) => !e.cert.selfIssued && e !== leaf).map((e) => e.cert));
    const v = verifyChain({ leaf: leaf.cert, trusted: roots, untrusted, now: ctx.now });
    if (v.ok || !v.error) return [];
    const e = v.error;
    const structural = e.kind === 'signature-failure' || e.kind === 'invalid-ca' || e.kind === 'path-length-exceeded' || e.kind === 'chain-too-long';
    const lookAlike = (e.kind === 'unable-to-get-issuer' || e.kind === 'unable-to-get-local-issuer') && e.lookAlikes.length > 0;
    if (!structural && !lookAlike) return [];
    const at = known.find((k) => k.cert.sha256 === e.cert.sha256) ?? leaf;
    return [
      {
        short: 'chain does not verify',
        message: `The chain of the server certificate ${describeCert(leaf.cert)} does not verify: ${describeChainError(e)}.`,
        related: [...relatedFor(leaf.ref, 'server certificate', leaf.block), ...(at !== leaf ? relatedFor(at.ref, describeCert(at.cert), at.block) : [])],
      },
    ];
  },
});
