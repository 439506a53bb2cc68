import { finding, type RuleContext, type WorkspaceRule } from '../types';
import { spanIn, type Resource } from '../../istio/resource';
import { nodeAt } from '../../yaml/documents';
import { listenerLabel, listenersOf, routeHostnames, type Listener, type ParentRef } from '../../istio/gateway-api';
import { credentialUses } from '../../index/credentials';
import { sansCoverGatewayHost } from '../../certs/hostname';
import type { Finding, Fix } from '../../types';
import { analyze } from '../credentials/analysis';
import { ownerLabel, parentIsIstio, routeParents, GATEWAY_API_RULE_READS } from './common';

/**
 * A route attaches only to listeners whose hostname intersects one of its `hostnames` (unset on either side means
 * all). When none does, istiod sets Accepted=False NoMatchingListenerHostname and the route gets no traffic.
 */
export const gatewayApiRouteHostnameMismatch: WorkspaceRule = {
  id: 'gateway-api-route-hostname-mismatch',
  defaultSeverity: 'error',
  kinds: ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'K8sGateway', 'ListenerSet'],
  summary: 'No route hostname intersects the hostname of a listener it names (NoMatchingListenerHostname).',
  scope: 'workspace',
  reads: GATEWAY_API_RULE_READS,
  check(ctx) {
    const out: Finding[] = [];
    for (const { route, ref, attachment: a } of routeParents(ctx.index, ctx.config.targetIstioVersion)) {
      if (!a || a === 'unknown' || !a.parent || a.accepted || a.reason !== 'NoMatchingListenerHostname' || !parentIsIstio(ctx.index, a.parent)) continue;
      const hosts = routeHostnames(route);
      const listeners = a.verdicts.filter((v) => v.reason === 'NoMatchingListenerHostname').map((v) => v.listener);
      const related = listeners.slice(0, 5).map((l) => ({ ...spanIn(l.owner, [...l.path, 'hostname']), message: `${listenerLabel(l)} hostname "${l.hostname ?? '*'}"` }));
      // Certain only when one listener is named and the route has one hostname: set the route to the listener's.
      const fixes: Fix[] = [];
      const only = listeners.length === 1 ? listeners[0] : undefined;
      if (only?.hostname && !only.hostname.startsWith('*') && hosts.length === 1) {
        fixes.push({ title: `Change hostname to \`${only.hostname}\``, edits: [{ ...spanIn(route, ['spec', 'hostnames', hosts[0].index]), newText: only.hostname }] });
      }
      for (const l of listeners) fixes.push(...addListenerFixes(ctx, route, ref, l, hosts.map((h) => h.value)));
      const quoted = hosts.map((h) => `"${h.value}"`).join(', ');
      out.push(finding(this, spanIn(route, hosts.length ? ['spec', 'hostnames'] : [...ref.path, 'name']), `Route hostname${hosts.length > 1 ? 's' : ''} ${quoted} match${hosts.length > 1 ? '' : 'es'} no listener hostname of ${ownerLabel(a.parent)} (Accepted=False NoMatchingListenerHostname: ${a.message}).`, { related, fixes }));
    }
    return out;
  },
};

/**
 * Whether the certificate a listener serves covers `host`: true/false from its first certificateRef's leaf, undefined
 * when the listener has no certificate meshtls can read.
 */
function certificateCovers(ctx: RuleContext, l: Listener, host: string): boolean | undefined {
  const use = credentialUses(ctx.index, ctx.config).find((u) => u.listener && u.gateway === l.owner && u.listener.index === l.index && u.primary);
  if (!use || use.resolution.status !== 'resolved') return undefined;
  const leaf = analyze(use, ctx).leaf?.cert;
  return leaf ? sansCoverGatewayHost(leaf.dnsNames, leaf.ipAddresses, host) !== false : undefined;
}

/** A listener name for `host` (a DNS label: `*.a.com` → `wildcard-a-com`), unique within the owner. */
function listenerNameFor(owner: Resource, host: string): string {
  const base = host.replace(/^\*\./, 'wildcard.').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'listener';
  const taken = new Set(listenersOf(owner).map((x) => x.name));
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  return name;
}

/**
 * "Add the hostname to the listener": a listener has one hostname, so the route's hostname gets a copy of the listener
 * it named (same port, protocol, tls and allowedRoutes) with that hostname, inserted after it; a sectionName naming
 * the old listener moves to the copy. Certain (preferred) only when the copied certificate covers the hostname;
 * otherwise the title says it must be re-issued, or that meshtls could not read it.
 */
function addListenerFixes(ctx: RuleContext, route: Resource, ref: ParentRef, l: Listener, hosts: string[]): Fix[] {
  if (!l.hostname || l.name === undefined) return [];
  const host = hosts.find((h) => /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(h));
  if (!host) return [];
  const d = l.owner.doc;
  const node = nodeAt(d.doc, [...l.owner.path, ...l.path]);
  if (!node?.range) return [];
  const text = d.text;
  const start = node.range[0];
  // The node's end may take in the line break and blank lines after it; the copy ends at its last character.
  let end = node.range[1];
  while (end > start && /\s/.test(text[end - 1])) end--;
  const item = { start: d.base + start, end: d.base + end };
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const prefix = text.slice(lineStart, start);
  if (!/^\s*-\s+$/.test(prefix)) return []; // a flow-style listener list: no safe text copy
  const name = listenerNameFor(l.owner, host);
  // Copy the listener's text, replacing its name and hostname values (spans relative to the item).
  const swaps = [
    { span: spanIn(l.owner, [...l.path, 'name']), value: name },
    { span: spanIn(l.owner, [...l.path, 'hostname']), value: host.startsWith('*') ? `"${host}"` : host },
  ].sort((a, b) => b.span.start - a.span.start);
  let copy = text.slice(start, end);
  for (const w of swaps) copy = copy.slice(0, w.span.start - item.start) + w.value + copy.slice(w.span.end - item.start);
  const edits = [{ fileId: d.fileId, start: item.end, end: item.end, newText: `\n${prefix}${copy}` }];
  if (ref.sectionName === l.name) edits.push({ ...spanIn(route, [...ref.path, 'sectionName']), newText: name });
  const covers = certificateCovers(ctx, l, host);
  const tls = l.protocol === 'HTTPS' || l.protocol === 'TLS';
  const caveat = !tls ? '' : covers === true ? '' : covers === false ? `; its certificate does not cover ${host} and must be re-issued` : `; check that its certificate covers ${host}`;
  return [{ title: `Add a listener for \`${host}\` to ${ownerLabel(l.owner)} (a copy of ${listenerLabel(l)})${caveat}`, edits, preferred: tls && covers === true }];
}
