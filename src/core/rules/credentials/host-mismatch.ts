import { credentialRule, describeCert, relatedFor, type Issue } from './analysis';
import { listExcerpt, sansCoverGatewayHost } from '../../certs/hostname';
import { spanIn } from '../../istio/resource';
import { hostPath } from '../../index/credentials';

/** Clients check the server name against the SANs (RFC 6125): a certificate for another host fails every handshake. */
export const certHostMismatch = credentialRule({
  id: 'cert-host-mismatch',
  needsMaterial: true,
  defaultSeverity: 'error',
  summary: 'No subjectAltName of the server certificate covers a host of the Gateway server.',
  evaluate({ use, leaf }) {
    const c = leaf?.cert;
    if (!c || (!c.dnsNames.length && !c.ipAddresses.length)) return [];
    const out: Issue[] = [];
    // The SANs are named in every message, so a bounded excerpt: 20,000 SANs repeated for 1,500 hosts overflowed
    // the largest string V8 can make.
    let sans: string | undefined;
    use.server.hosts.forEach((h, i) => {
      if (sansCoverGatewayHost(c.dnsNames, c.ipAddresses, h) !== false) return;
      sans ??= listExcerpt([...c.dnsNames, ...c.ipAddresses]);
      out.push({
        short: `SAN does not cover ${h}`,
        message: `No subjectAltName of the server certificate ${describeCert(c)} covers host "${h}" (it has ${sans}).`,
        related: [{ ...spanIn(use.gateway, hostPath(use, i)), message: use.listener ? `listener hostname "${h}"` : `host "${h}"` }, ...relatedFor(leaf.ref, 'server certificate', leaf.block)],
      });
    });
    return out;
  },
});
