import { credentialRule, describeCert, relatedFor } from './analysis';

/**
 * A server certificate with only a Common Name: Go ≥ 1.15, browsers and most libraries ignore the CN
 * (rancher/rke2#775). The original mtls-go-example certificates have no SAN.
 */
export const certNoSan = credentialRule({
  id: 'cert-no-san',
  needsMaterial: true,
  defaultSeverity: 'warning',
  summary: 'The server certificate has no subjectAltName (CN-only).',
  evaluate({ leaf }) {
    if (!leaf || leaf.cert.dnsNames.length || leaf.cert.ipAddresses.length) return [];
    return [{ message: `The server certificate ${describeCert(leaf.cert)} in ${leaf.ref.label} has no subjectAltName; modern clients ignore the Common Name.`, related: relatedFor(leaf.ref, 'server certificate', leaf.block) }];
  },
});
