import { credentialRule, describeCert, relatedFor } from './analysis';
import { issues } from '../../certs/x509';

/**
 * The served chain must run leaf first, then each issuer in turn (RFC 8446 §4.4.2 still expects it of servers, and
 * older clients require it). A block that certifies nothing in the chain is usually the wrong file concatenated.
 */
export const certChainOrder = credentialRule({
  id: 'cert-chain-order',
  needsMaterial: true,
  defaultSeverity: 'warning',
  summary: 'The certificate chain is out of order or contains a certificate that does not belong to it.',
  evaluate({ served }) {
    for (let i = 1; i < served.length; i++) {
      const child = served[i - 1];
      const cur = served[i];
      if (issues(cur.cert, child.cert)) continue;
      const later = served.findIndex((s, j) => j !== i && issues(s.cert, child.cert));
      const related = relatedFor(cur.ref, `certificate ${i + 1}`, cur.block);
      if (later >= 0 || served.slice(0, i - 1).some((s) => issues(cur.cert, s.cert))) {
        return [{ message: `The chain in ${cur.ref.label} is out of order: certificate ${i + 1} ${describeCert(cur.cert)} does not issue certificate ${i} ${describeCert(child.cert)}.`, related }];
      }
      return [{ message: `Certificate ${i + 1} ${describeCert(cur.cert)} in ${cur.ref.label} does not belong to the chain of ${describeCert(served[0].cert)}.`, related }];
    }
    return [];
  },
});
