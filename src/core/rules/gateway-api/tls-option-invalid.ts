import { finding, type WorkspaceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { listenerLabel, listenerTlsMode, tlsOptions, OPTION_CIPHER_SUITES, OPTION_LISTENER_PROTOCOL, OPTION_TERMINATE_MODE, TERMINATE_MODES } from '../../istio/gateway-api';
import { ISTIO_CHANGES, istioAtLeast } from '../../istio/versions';
import { ISTIO_CIPHERS } from '../gateway/tls-cipher-suites-invalid';
import { editDistance } from '../cross/model';
import type { Finding, Fix } from '../../types';
import { istioListeners, GATEWAY_API_RULE_READS } from './common';

const KNOWN = [OPTION_TERMINATE_MODE, OPTION_CIPHER_SUITES, OPTION_LISTENER_PROTOCOL];

/**
 * istiod reads three `gateway.istio.io/` keys of `listeners[].tls.options` and ignores every value it does not know,
 * without a condition: a `tls-terminate-mode` of `mutual` or `Mutual` leaves the listener SIMPLE (mutual TLS silently
 * off), unknown cipher names are filtered out (all unknown: the option is ignored; before 1.29 the option is not
 * read at all), and `listener-protocol` only knows `auto-passthrough`.
 */
export const gatewayApiTlsOptionInvalid: WorkspaceRule = {
  id: 'gateway-api-tls-option-invalid',
  defaultSeverity: 'error',
  kinds: ['K8sGateway', 'ListenerSet'],
  summary: 'A gateway.istio.io listener TLS option whose key or value Istio ignores.',
  scope: 'workspace',
  reads: GATEWAY_API_RULE_READS,
  check(ctx) {
    const out: Finding[] = [];
    for (const l of istioListeners(ctx.index)) {
      for (const [key, { value, path }] of tlsOptions(l)) {
        const at = spanIn(l.owner, path);
        if (key === OPTION_TERMINATE_MODE) {
          if ((TERMINATE_MODES as readonly string[]).includes(value)) {
            if (listenerTlsMode(l) === 'Passthrough') out.push(finding(this, at, `Option ${key}: ${value} on passthrough ${listenerLabel(l)} has no effect, because Istio only reads it when terminating TLS.`, { severity: 'warning' }));
            continue;
          }
          const upper = value.toUpperCase().replace(/-/g, '_');
          const fixes: Fix[] = (TERMINATE_MODES as readonly string[]).includes(upper) ? [{ title: `Change to \`${upper}\``, edits: [{ ...at, newText: upper }], preferred: true }] : [];
          out.push(finding(this, at, `Option ${key} value "${value}" is not one of ${TERMINATE_MODES.join(', ')}, so Istio ignores it and ${listenerLabel(l)} stays SIMPLE TLS without client validation.`, { fixes }));
        } else if (key === OPTION_CIPHER_SUITES) {
          if (!istioAtLeast(ctx.config.targetIstioVersion, ISTIO_CHANGES.cipherSuitesOption)) {
            out.push(finding(this, at, `Option ${key} is read from Istio ${ISTIO_CHANGES.cipherSuitesOption} on, so Istio ${ctx.config.targetIstioVersion} ignores it.`, { severity: 'warning' }));
            continue;
          }
          const names = value.split(',').map((s) => s.trim()).filter(Boolean);
          const unknown = names.filter((n) => !ISTIO_CIPHERS.has(n));
          if (unknown.length === 0) continue;
          const all = unknown.length === names.length;
          out.push(
            finding(this, at, `Cipher suite${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')} in option ${key} ${unknown.length > 1 ? 'are' : 'is'} not known to Istio, so ${all ? 'Istio ignores the whole option' : `Istio drops ${unknown.length > 1 ? 'them' : 'it'}`}.`, {
              severity: all ? 'error' : 'warning',
            }),
          );
        } else if (key === OPTION_LISTENER_PROTOCOL) {
          if (value !== 'auto-passthrough') out.push(finding(this, at, `Option ${key} value "${value}" is not "auto-passthrough", the only value Istio reads.`));
        } else if (key.startsWith('gateway.istio.io/')) {
          const near = KNOWN.find((k) => editDistance(key, k, 3) <= 3);
          const fixes: Fix[] = near ? [{ title: `Change to \`${near}\``, edits: [{ ...spanIn(l.owner, path, 'key'), newText: near }], preferred: true }] : [];
          out.push(finding(this, spanIn(l.owner, path, 'key'), `Option "${key}" is not a TLS option Istio reads${near ? ` (did you mean "${near}"?)` : ''}, so it is ignored.`, { fixes }));
        }
      }
    }
    return out;
  },
};
