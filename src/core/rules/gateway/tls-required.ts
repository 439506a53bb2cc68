import { finding, type ResourceRule } from '../types';
import { spanIn, type Resource } from '../../istio/resource';
import { gatewayServers, type GatewayServer } from '../../istio/gateway';
import { indentStep, insertAfterKey } from '../../yaml/edits';
import type { Fix } from '../../types';
import { portIsValid, protocol, serverLabel, serverPath } from './servers';

const NOT_NAME_CHARS = /[^a-z0-9]+/g;
const EDGE_DASHES = /^-+|-+$/g;

/** A Secret name to start from, derived from the server's first host ("*.example.com" → "wildcard-example-com-credential"). */
export function credentialPlaceholder(hosts: readonly string[]): string {
  const first = hosts[0] ?? '';
  const dnsName = first.includes('/') ? first.slice(first.indexOf('/') + 1) : first;
  const base = dnsName.toLowerCase().replace('*', 'wildcard').replace(NOT_NAME_CHARS, '-').replace(EDGE_DASHES, '');
  return `${base === '' || base === 'wildcard' ? 'gateway' : base.slice(0, 200)}-credential`;
}

function addTlsFix(gw: Resource, s: GatewayServer): Fix | undefined {
  const name = credentialPlaceholder(s.hosts);
  const step = ' '.repeat(indentStep(gw.doc, [...gw.path, ...serverPath(s)], 'port'));
  const edit = insertAfterKey(gw.doc, [...gw.path, ...serverPath(s)], 'port', ['tls:', `${step}mode: SIMPLE`, `${step}credentialName: ${name}`]);
  return edit && { title: `Add a tls block (mode SIMPLE, credentialName "${name}")`, edits: [edit], preferred: true };
}

/** Istio's webhook rejects an HTTPS or TLS server without a `tls` block (GW-14). */
export const gatewayTlsRequired: ResourceRule = {
  id: 'gateway-tls-required',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['Gateway'],
  summary: 'HTTPS and TLS servers need a tls block.',
  scope: 'resource',
  check(gw) {
    // Like the webhook, judge the tls block only once the port itself is valid (gateway-port-invalid reports that).
    return gatewayServers(gw)
      .filter((s) => (protocol(s) === 'HTTPS' || protocol(s) === 'TLS') && !s.tls && portIsValid(s))
      .map((s) => {
        const fix = addTlsFix(gw, s);
        return finding(this, spanIn(gw, serverPath(s, 'port', 'protocol')), `${serverLabel(s)} uses protocol ${protocol(s)} but has no tls settings.`, {
          fixes: fix ? [fix] : [],
        });
      });
  },
};
