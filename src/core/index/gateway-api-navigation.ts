import type { WorkspaceIndex } from './workspace-index';
import type { MeshtlsConfig } from '../config';
import type { Span } from '../types';
import { spanIn, type Resource } from '../istio/resource';
import type { PathSegment } from '../yaml/documents';
import { listenerLabel, listenersOf, parentRefs } from '../istio/gateway-api';
import { findParent } from './gateway-api';
import { credentialUses } from './credentials';
import { pathMatches } from './query';

// Go to definition and completion for the Gateway API, as plain data for the editor (kept beside the index, so the
// same answers can be tested without VS Code).

export interface Definition {
  /** Where to select: the name of the Gateway, the listener, the Secret or ConfigMap source. */
  target: Span;
  /** The whole object, when the target is a YAML resource. */
  whole?: Span;
}

const ROUTES = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute'];

function wholeOf(r: Resource): Span {
  return { fileId: r.doc.fileId, start: r.doc.base, end: r.doc.base + r.doc.text.length };
}

/**
 * From a route's `parentRefs[i].name` to its Gateway or ListenerSet, from `sectionName` to the listener, and from a
 * listener's `certificateRefs[j].name` or a `caCertificateRefs[k].name` to where the workspace creates that Secret or
 * ConfigMap (manifest, kubectl line, .meshtls.yaml entry, PKI tree).
 */
export function gatewayApiDefinition(index: WorkspaceIndex, config: MeshtlsConfig, r: Resource, path: PathSegment[], offset: number): Definition | undefined {
  if (ROUTES.includes(r.kind) && (pathMatches(path, ['spec', 'parentRefs', '*', 'name']) || pathMatches(path, ['spec', 'parentRefs', '*', 'sectionName']))) {
    const ref = parentRefs(r).find((p) => p.index === path[2]);
    const parent = ref && findParent(index, ref);
    if (!ref || !parent) return undefined;
    if (path[3] === 'sectionName') {
      const l = listenersOf(parent).find((x) => x.name === ref.sectionName);
      return l ? { target: spanIn(parent, [...l.path, 'name']), whole: wholeOf(parent) } : undefined;
    }
    return { target: spanIn(parent, ['metadata', 'name']), whole: wholeOf(parent) };
  }
  if (r.kind === 'K8sGateway' || r.kind === 'ListenerSet') {
    const fileId = r.doc.fileId;
    const within = (s: Span | undefined) => s !== undefined && s.fileId === fileId && s.start <= offset && offset <= s.end;
    const uses = credentialUses(index, config);
    const use = uses.find((u) => u.gateway === r && within(u.span));
    if (use) {
      const src = use.resolution.source;
      return src ? { target: src.origin } : undefined;
    }
    const ca = uses.find((u) => within(u.caSpan));
    const caSrc = ca?.resolution.caSource;
    if (caSrc && caSrc !== ca?.resolution.source) return { target: caSrc.origin };
  }
  return undefined;
}

export interface SectionNameItem {
  label: string;
  detail: string;
}

/**
 * Listener names a route can put in `sectionName`: those of the parent the parentRef at `offset` names (of every
 * parent its parentRefs name when no offset is given).
 */
export function sectionNameCompletions(index: WorkspaceIndex, route: Resource, offset?: number): SectionNameItem[] {
  const out: SectionNameItem[] = [];
  const seen = new Set<string>();
  let refs = parentRefs(route);
  if (offset !== undefined) {
    // Scope to the parentRef under the cursor: the last one that starts at or before it (a half-typed
    // `sectionName:` may end the item's node before the cursor).
    const before = refs.filter((r) => spanIn(route, r.path).start <= offset);
    if (before.length) refs = [before[before.length - 1]];
  }
  for (const ref of refs) {
    const parent = findParent(index, ref);
    if (!parent) continue;
    for (const l of listenersOf(parent)) {
      if (l.name === undefined || seen.has(l.name)) continue;
      seen.add(l.name);
      out.push({ label: l.name, detail: `${listenerLabel(l)} of ${ref.kind} ${parent.namespace}/${parent.name}: port ${l.port ?? '?'}, ${l.protocol ?? '?'}${l.hostname ? `, ${l.hostname}` : ''}` });
    }
  }
  return out;
}
