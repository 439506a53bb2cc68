import { pushTo } from '../../collections';
import { finding, type WorkspaceRule } from '../types';
import { isObject, spanIn, type Resource } from '../../istio/resource';
import type { Finding } from '../../types';
import { crossModel, hostsOverlap, idOf, related, reportable } from './model';
import { sameUnit, hostFqdn, knownNamespaces, topTlsMode, visibleTogether, wildcardScope } from './destination-rule-hosts';

interface Entry {
  dr: Resource;
  fqdn: string;
  /** Subset names; undefined when the rule has none and so applies to every subset. */
  subsets?: Set<string>;
}

/**
 * Two DestinationRules for one host that define the same subset (or where one defines no subsets, so applies to all):
 * istiod merges same-host rules only partly (a later rule's repeated subsets and its top-level policy are dropped) and
 * otherwise picks one rule per client, so which traffic policy applies is an accident of creation order. This is
 * Kiali's KIA0201 (multiple DestinationRules match the same host and subset); like Kiali, a wildcard host matches the
 * hosts it covers, and mesh- or namespace-wide ISTIO_MUTUAL rules (the documented way to turn mTLS on) are left out.
 */
export const destinationRuleHostOverlap: WorkspaceRule = {
  id: 'destination-rule-host-overlap',
  kialiCode: 'KIA0201',
  defaultSeverity: 'warning',
  kinds: ['DestinationRule'],
  reads: ['DestinationRule'],
  summary: 'Two DestinationRules visible together must not match the same host and subset.',
  scope: 'workspace',
  check(ctx) {
    const model = crossModel(ctx);
    if (model.destinationRules.length < 2) return [];
    const namespaces = knownNamespaces(ctx.index, ctx.config.rootNamespace);
    const exact = new Map<string, Entry[]>();
    const wildcards: Entry[] = [];
    for (const dr of model.destinationRules) {
      if (typeof dr.spec.host !== 'string' || dr.spec.host === '') continue;
      const fqdn = hostFqdn(dr.spec.host, dr.namespace, namespaces);
      const scope = wildcardScope(fqdn);
      if (topTlsMode(dr) === 'ISTIO_MUTUAL' && (scope?.scope === 'mesh' || (scope?.scope === 'namespace' && scope.ns === dr.namespace))) continue;
      const entry: Entry = { dr, fqdn, subsets: subsetNames(dr) };
      if (fqdn.startsWith('*')) wildcards.push(entry);
      else {
        pushTo(exact, fqdn, entry);
      }
    }
    const clashes = new Map<Resource, { other: Entry; subset?: string; merges: boolean }[]>();
    const clash = (a: Entry, b: Entry) => {
      if (a.dr === b.dr || idOf(a.dr) === idOf(b.dr) || !visibleTogether(a.dr, b.dr)) return;
      // Only rules applied together clash.
      if (!sameUnit(a.dr, b.dr)) return;
      const subset = sharedSubset(a, b);
      if (subset === false) return;
      const merges = mergesCleanly(a, b);
      for (const [x, y] of [[a, b], [b, a]] as const) {
        pushTo(clashes, x.dr, { other: y, subset, merges });
      }
    };
    for (const list of exact.values()) for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) clash(list[i], list[j]);
    for (let i = 0; i < wildcards.length; i++) {
      const w = wildcards[i];
      for (let j = i + 1; j < wildcards.length; j++) if (hostsOverlap(w.fqdn, wildcards[j].fqdn)) clash(w, wildcards[j]);
      for (const [fqdn, list] of exact) if (hostsOverlap(w.fqdn, fqdn)) for (const e of list) clash(w, e);
    }
    const out: Finding[] = [];
    for (const [dr, list] of clashes) {
      if (!reportable(dr)) continue;
      const first = list[0];
      const others = [...new Set(list.map((c) => `"${idOf(c.other.dr)}"`))];
      const what = first.subset ? `subset "${first.subset}" of host "${dr.spec.host}"` : `host "${dr.spec.host}"`;
      const names = others.length > 3 ? `${others.slice(0, 3).join(', ')} and ${others.length - 3} more` : others.join(', ');
      out.push(
        finding(this, spanIn(dr, ['spec', 'host']), `DestinationRule${others.length > 1 ? 's' : ''} ${names} also ${others.length > 1 ? 'match' : 'matches'} ${what}.`, {
          related: list.slice(0, 10).map((c) => related(c.other.dr, ['spec', 'host'], `DestinationRule ${idOf(c.other.dr)} for "${String(c.other.dr.spec.host)}"`)),
          severity: list.every((c) => c.merges) ? 'info' : undefined,
        }),
      );
    }
    return out;
  },
};

/**
 * istiod merges rules for the same host in the same namespace (without workloadSelector): subsets are appended and
 * the first top-level trafficPolicy is kept. One rule with subsets and another with only a trafficPolicy therefore
 * combine as intended, which Kiali still flags; meshtls keeps that as a note.
 */
function mergesCleanly(a: Entry, b: Entry): boolean {
  if (a.fqdn !== b.fqdn || a.dr.namespace !== b.dr.namespace || a.dr.spec.workloadSelector || b.dr.spec.workloadSelector) return false;
  const policy = (e: Entry) => isObject(e.dr.spec.trafficPolicy) && Object.keys(e.dr.spec.trafficPolicy).length > 0;
  const bare = [a, b].filter((e) => !e.subsets);
  // Both top-level policies set: the later one is dropped. A rule with neither subsets nor policy adds nothing.
  if (policy(a) && policy(b)) return false;
  return bare.length > 0 && bare.every(policy);
}

function subsetNames(dr: Resource): Set<string> | undefined {
  const subsets = dr.spec.subsets;
  if (!Array.isArray(subsets) || subsets.length === 0) return undefined;
  return new Set(subsets.flatMap((s) => (isObject(s) && typeof s.name === 'string' ? [s.name] : [])));
}

/** The first subset both rules define, undefined when one of them applies to every subset, false when disjoint. */
function sharedSubset(a: Entry, b: Entry): string | undefined | false {
  if (!a.subsets || !b.subsets) return undefined;
  for (const s of a.subsets) if (b.subsets.has(s)) return s;
  return false;
}
