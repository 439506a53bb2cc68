import { finding, type ResourceRule, type RuleContext } from '../types';
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

/** The parts of a host a credential name is usually made of: `frontend-foocorp-com`, `frontend.foocorp.com`, `frontend`. */
function hostForms(host: string): { kind: 'dashed' | 'dotted' | 'label'; text: string }[] {
  const dnsName = (host.includes('/') ? host.slice(host.indexOf('/') + 1) : host).toLowerCase();
  if (dnsName === '' || dnsName.startsWith('*')) return [];
  return [
    { kind: 'dashed' as const, text: dnsName.replace(NOT_NAME_CHARS, '-').replace(EDGE_DASHES, '') },
    { kind: 'dotted' as const, text: dnsName },
    { kind: 'label' as const, text: dnsName.split('.')[0] },
  ].filter((f) => f.text !== '');
}

/**
 * A credential name for a server, following how the workspace's other servers name theirs: when their names are
 * their host's first label plus "-credential" (the walkthrough's `frontend-credential`), the new one is
 * `inventory-credential`, not an invented `inventory-foocorp-com-credential`. The most common pattern wins; with
 * none to learn from, the name is derived from the whole host (credentialPlaceholder).
 */
export function credentialNameFor(hosts: readonly string[], examples: readonly { hosts: readonly string[]; name: string }[]): string {
  const count = new Map<string, { prefix: string; kind: 'dashed' | 'dotted' | 'label'; suffix: string; n: number }>();
  for (const e of examples) {
    // The host part must stand on its own in the name (`a` is not the host of `shared-secret`).
    const whole = (f: { text: string }) => {
      const at = e.name.indexOf(f.text);
      return at >= 0 && !/[a-z0-9]/.test(e.name[at - 1] ?? '') && !/[a-z0-9]/.test(e.name[at + f.text.length] ?? '') ? at : -1;
    };
    const form = hostForms(e.hosts[0] ?? '').find((f) => whole(f) >= 0);
    if (!form) continue;
    const at = whole(form);
    const t = { prefix: e.name.slice(0, at), kind: form.kind, suffix: e.name.slice(at + form.text.length) };
    const key = `${t.prefix}\0${t.kind}\0${t.suffix}`;
    count.set(key, { ...t, n: (count.get(key)?.n ?? 0) + 1 });
  }
  const best = [...count.values()].sort((a, b) => b.n - a.n)[0];
  const form = best && hostForms(hosts[0] ?? '').find((f) => f.kind === best.kind);
  const name = best && form ? `${best.prefix}${form.text}${best.suffix}` : undefined;
  // The learned name must still be a valid Secret name (a DNS subdomain, at most 253 characters).
  return name && name.length <= 253 && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) ? name : credentialPlaceholder(hosts);
}

/** The workspace's (hosts, credentialName) pairs, once per version of its Gateways: every server without tls asks. */
const examplesCache = new WeakMap<object, { version: number; examples: { hosts: readonly string[]; name: string }[] }>();
function credentialExamples(ctx: RuleContext): { hosts: readonly string[]; name: string }[] {
  const version = ctx.index.kindVersion('Gateway');
  const hit = examplesCache.get(ctx.index);
  if (hit && hit.version === version) return hit.examples;
  const examples = ctx.index.ofKind('Gateway').flatMap((g) => gatewayServers(g).flatMap((x) => (typeof x.tls?.credentialName === 'string' && x.tls.credentialName !== '' ? [{ hosts: x.hosts, name: x.tls.credentialName }] : [])));
  examplesCache.set(ctx.index, { version, examples });
  return examples;
}

function addTlsFix(gw: Resource, s: GatewayServer, ctx: RuleContext, names: Map<string, string>): Fix | undefined {
  // The name depends on the first host only: servers repeating a host (thousands, in one hostile Gateway) share it.
  const host = s.hosts[0] ?? '';
  let name = names.get(host);
  if (name === undefined) names.set(host, (name = credentialNameFor(s.hosts, credentialExamples(ctx))));
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
  check(gw, ctx) {
    // Like the webhook, judge the tls block only once the port itself is valid (gateway-port-invalid reports that).
    const names = new Map<string, string>();
    return gatewayServers(gw)
      .filter((s) => (protocol(s) === 'HTTPS' || protocol(s) === 'TLS') && !s.tls && portIsValid(s))
      .map((s) => {
        const fix = addTlsFix(gw, s, ctx, names);
        return finding(this, spanIn(gw, serverPath(s, 'port', 'protocol')), `${serverLabel(s)} uses protocol ${protocol(s)} but has no tls settings.`, {
          fixes: fix ? [fix] : [],
        });
      });
  },
};
