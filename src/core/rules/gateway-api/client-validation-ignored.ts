import { finding, type WorkspaceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { frontendPerPort, frontendValidation, listenerLabel, listenersOf, listenerTlsMode, tlsOptions, OPTION_TERMINATE_MODE } from '../../istio/gateway-api';
import { ISTIO_CHANGES, istioAtLeast } from '../../istio/versions';
import type { Finding } from '../../types';
import { capital, istioGateways, GATEWAY_API_RULE_READS } from './common';

/**
 * `spec.tls.frontend` client validation applies to every terminating listener on its port, except where istiod
 * skips it without a condition: passthrough listeners, listeners whose `tls-terminate-mode` is ISTIO_SIMPLE or
 * ISTIO_MUTUAL (`buildTLS` returns first), a `perPort` entry for a port no listener uses, and every listener before
 * Istio 1.28, which does not read `spec.tls.frontend` at all. Clients then connect without a certificate.
 */
export const gatewayApiClientValidationIgnored: WorkspaceRule = {
  id: 'gateway-api-client-validation-ignored',
  defaultSeverity: 'warning',
  kinds: ['K8sGateway'],
  summary: 'Client-certificate validation (spec.tls.frontend) that Istio does not apply to a listener.',
  scope: 'workspace',
  reads: GATEWAY_API_RULE_READS,
  check(ctx) {
    const out: Finding[] = [];
    const reads = istioAtLeast(ctx.config.targetIstioVersion, ISTIO_CHANGES.frontendValidation);
    for (const gw of istioGateways(ctx.index)) {
      const listeners = listenersOf(gw);
      if (!reads) {
        const fv = frontendValidation(gw, undefined) ?? listeners.map((l) => frontendValidation(gw, l.port)).find(Boolean);
        if (fv) out.push(finding(this, spanIn(gw, ['spec', 'tls', 'frontend'], 'key'), `Istio ${ctx.config.targetIstioVersion} does not read spec.tls.frontend (read from ${ISTIO_CHANGES.frontendValidation} on), so no listener of Gateway ${gw.namespace}/${gw.name} validates client certificates.`));
        continue;
      }
      for (const p of frontendPerPort(gw)) {
        if (p.port === undefined || listeners.some((l) => l.port === p.port)) continue;
        out.push(finding(this, spanIn(gw, ['spec', 'tls', 'frontend', 'perPort', p.index, 'port']), `Client validation for port ${p.port} applies to nothing: Gateway ${gw.namespace}/${gw.name} has no listener on that port.`));
      }
      for (const l of listeners) {
        const fv = frontendValidation(gw, l.port);
        if (!fv || (l.protocol !== 'HTTPS' && l.protocol !== 'TLS')) continue;
        const related = [{ ...spanIn(gw, fv.path, 'key'), message: fv.perPort ? `client validation for port ${l.port}` : 'default client validation' }];
        const opt = tlsOptions(l).get(OPTION_TERMINATE_MODE)?.value;
        // HTTPS with Passthrough never reaches istiod (the API server rejects it; gateway-api-listener-tls-mode).
        if (listenerTlsMode(l) === 'Passthrough' && l.protocol === 'TLS') {
          out.push(finding(this, spanIn(l.owner, [...l.path, 'tls', 'mode']), `${capital(listenerLabel(l))} passes TLS through, so the client validation configured for port ${l.port} does not apply to it.`, { related }));
        } else if (opt === 'ISTIO_SIMPLE' || opt === 'ISTIO_MUTUAL') {
          out.push(finding(this, spanIn(l.owner, [...l.path, 'tls', 'options', OPTION_TERMINATE_MODE]), `${capital(listenerLabel(l))} uses ${opt}, so Istio skips the client validation configured for port ${l.port}.`, { related }));
        }
      }
    }
    return out;
  },
};
