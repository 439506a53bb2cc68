import { finding, type ResourceRule } from '../types';
import { spanIn, type Resource } from '../../istio/resource';
import { isSet } from '../../istio/validation';
import { removeKey, replaceScalar } from '../../yaml/edits';
import type { Finding, Fix } from '../../types';
import { serverLabel, tlsServers, type TlsServer } from './servers';

/** The certificate fields ISTIO_MUTUAL forbids, with how messages name them. */
const FIELDS = ['credentialName', 'credentialNames', 'serverCertificate', 'privateKey', 'caCertificates', 'tlsCertificates'] as const;

function fixes(gw: Resource, t: TlsServer, field: string): Fix[] {
  // Only a credential reference tells us what the author meant: a Secret-backed mutual TLS server (MUTUAL), or
  // Istio's mesh certificates (keep ISTIO_MUTUAL, drop the reference). File paths are too ambiguous to guess.
  if (field !== 'credentialName' && field !== 'credentialNames') return [];
  const tlsPath = [...gw.path, ...t.path];
  const out: Fix[] = [];
  const mode = replaceScalar(gw.doc, [...tlsPath, 'mode'], 'MUTUAL');
  if (mode) out.push({ title: 'Change mode to MUTUAL', edits: [mode] });
  const remove = removeKey(gw.doc, tlsPath, field);
  if (remove) out.push({ title: `Remove ${field}`, edits: [remove] });
  return out;
}

/**
 * ISTIO_MUTUAL makes the gateway present the workload's own Istio certificate, so it takes no certificates of its
 * own (TLS-04). Setting credentialName here usually means MUTUAL (client certificates checked against a Secret) was meant.
 */
export const gatewayTlsIstioMutualCertificate: ResourceRule = {
  id: 'gateway-tls-istio-mutual-certificate',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['Gateway'],
  summary: 'Mode ISTIO_MUTUAL uses Istio-issued certificates and cannot take credentialName or certificate files.',
  scope: 'resource',
  check(gw) {
    const out: Finding[] = [];
    for (const t of tlsServers(gw)) {
      if (t.mode !== 'ISTIO_MUTUAL') continue;
      for (const field of FIELDS) {
        if (!isSet(t.tls[field])) continue;
        out.push(
          finding(this, spanIn(gw, [...t.path, field]), `${serverLabel(t.server)} uses mode ISTIO_MUTUAL, which cannot take ${field} (${describeValue(t.tls[field])}).`, {
            fixes: fixes(gw, t, field),
          }),
        );
      }
    }
    return out;
  },
};

function describeValue(v: unknown): string {
  if (typeof v === 'string') return `"${v}"`;
  if (Array.isArray(v)) return `${v.length} ${v.length === 1 ? 'entry' : 'entries'}`;
  return String(v);
}
