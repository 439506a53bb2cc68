import type { WorkspaceIndex } from './workspace-index';
import type { MeshtlsConfig } from '../config';
import { gatewayServers } from '../istio/gateway';
import { credentialIndex } from './credentials';
import { credentialNames } from './references';

export interface CredentialNameCompletion {
  label: string;
  /** What the name stands for here: the source that creates the Secret, or that nothing does. */
  detail: string;
}

/**
 * The names a `credentialName:` can take, each saying where it comes from: a Secret that a kubectl line, a manifest,
 * a folder, a PKI tree or .meshtls.yaml creates, or only another Gateway's credentialName that nothing in the
 * workspace creates (offered so a second server can share it, but not presented as known).
 */
export function credentialNameCompletions(index: WorkspaceIndex, config: MeshtlsConfig): CredentialNameCompletion[] {
  const ci = credentialIndex(index, config);
  const names = new Set(credentialNames(index));
  for (const s of ci.sources) if (s.object !== 'ConfigMap' && !s.name.endsWith('-cacert')) names.add(s.name);
  const gatewaysNaming = new Map<string, string>();
  for (const gw of index.ofKind('Gateway')) {
    for (const s of gatewayServers(gw)) {
      const n = s.tls?.credentialName;
      if (typeof n === 'string' && !gatewaysNaming.has(n)) gatewaysNaming.set(n, `${gw.namespace}/${gw.name}`);
    }
  }
  return [...names].sort().map((label) => {
    const sources = (ci.byName.get(label) ?? []).filter((s) => s.object !== 'ConfigMap');
    if (sources.length) return { label, detail: `created by ${sources[0].description}${sources.length > 1 ? ` (+${sources.length - 1} more)` : ''}` };
    return { label, detail: `named by Gateway ${gatewaysNaming.get(label) ?? '?'}; nothing in this workspace creates it` };
  });
}
