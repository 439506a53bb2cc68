import type { Finding } from './types';

/**
 * Rules that compare peers — resources that conflict only when they are applied together. A rendered stream
 * (`kubectl kustomize overlays/prod | meshtls lint - .`) is one complete deployment; the workspace beside it holds its
 * sources and their alternatives (the base, other overlays), which render to the same objects and are not applied
 * with it. So a stream's resource is compared with its peers inside the stream only, while references (a Gateway a
 * VirtualService names, the certificates behind a credentialName, the subsets of a DestinationRule) may resolve
 * anywhere in the workspace.
 */
export const PEER_CONFLICT_RULES: ReadonlySet<string> = new Set([
  'gateway-conflict',
  'gateway-duplicate-certificate',
  'gateway-duplicate-server-host',
  'peer-authentication-duplicate-scope',
  'virtual-service-mesh-host-conflict',
  'virtual-service-ingress-subsets-ignored',
]);

/**
 * The findings to report for a stream linted with a workspace as context: the stream's own, minus peer conflicts whose
 * other side lies outside the stream (a conflict with peers on both sides keeps only the stream's).
 */
export function streamFindings(byFile: ReadonlyMap<string, readonly Finding[]>, streamId: string): Finding[] {
  const out: Finding[] = [];
  for (const f of byFile.get(streamId) ?? []) {
    if (!PEER_CONFLICT_RULES.has(f.ruleId) || !f.related?.length) {
      out.push(f);
      continue;
    }
    const inside = f.related.filter((r) => r.fileId === streamId);
    if (inside.length === f.related.length) out.push(f);
    else if (inside.length) out.push({ ...f, related: inside });
  }
  return out;
}
