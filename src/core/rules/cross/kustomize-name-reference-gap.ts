import { finding, type WorkspaceRule } from '../types';
import { spanIn } from '../../istio/resource';
import type { Placed } from '../../index/placement';
import type { Finding } from '../../types';
import { crossModel, gatewayRefs, onePerSpan, related, reportable, serversOf } from './model';

/**
 * kustomize's namePrefix/nameSuffix renames every resource of a build and rewrites the references it knows about
 * (a Deployment's Secret volumes, a Service's selector), but not Istio fields: a VirtualService `gateways` entry and a
 * Gateway `credentialName` keep the old name and point at nothing once applied (kubernetes-sigs/kustomize#1262).
 * A `configurations:` file with a nameReference for the field closes the gap, and then nothing is reported.
 */
export const kustomizeNameReferenceGap: WorkspaceRule = {
  id: 'kustomize-name-reference-gap',
  defaultSeverity: 'error',
  kinds: ['VirtualService', 'Gateway'],
  summary: 'A kustomize namePrefix/nameSuffix renames a Gateway or Secret but not the Istio reference to it.',
  scope: 'workspace',
  check(ctx) {
    const model = crossModel(ctx);
    const out: Finding[] = [];
    for (const vs of model.virtualServices) {
      if (!reportable(vs) || vs.unit.kind !== 'kustomize') continue;
      for (const ref of gatewayRefs(vs, model, { matches: true })) {
        const gw = ref.renamedAway;
        if (!gw?.renamed) continue;
        out.push(
          finding(this, spanIn(vs, ref.path), `Gateway "${ref.name}" is renamed to "${gw.name}" by ${gw.renamed.fileId}, but this reference is not.`, {
            related: [related(gw, ['metadata', 'name'], `Gateway ${gw.namespace}/${gw.name} after the rename`)],
          }),
        );
      }
    }
    // credentialName → a Secret of the same build that the rename moved away from it.
    const secretsByUnit = new Map<string, Placed[]>();
    for (const s of model.placement.instances) {
      if (s.kind !== 'Secret' || !s.renamed) continue;
      let list = secretsByUnit.get(s.unit.id);
      if (!list) secretsByUnit.set(s.unit.id, (list = []));
      list.push(s);
    }
    if (secretsByUnit.size === 0) return onePerSpan(out);
    for (const gw of model.gateways) {
      if (!reportable(gw) || gw.unit.kind !== 'kustomize' || gw.unit.nameReferences?.has('Secret')) continue;
      const secrets = secretsByUnit.get(gw.unit.id);
      if (!secrets) continue;
      for (const server of serversOf(model, gw)) {
        const name = server.tls?.credentialName;
        if (typeof name !== 'string') continue;
        // Still fine when a Secret of the build carries the name after the rename.
        if (model.placement.instances.some((s) => s.kind === 'Secret' && s.unit.id === gw.unit.id && s.name === name)) continue;
        const secret = secrets.find((s) => s.source.name === name);
        if (!secret?.renamed) continue;
        out.push(
          finding(this, spanIn(gw, ['spec', 'servers', server.index, 'tls', 'credentialName']), `Secret "${name}" is renamed to "${secret.name}" by ${secret.renamed.fileId}, but this credentialName is not.`, {
            related: [related(secret, ['metadata', 'name'], `Secret ${secret.namespace}/${secret.name} after the rename`)],
          }),
        );
      }
    }
    return onePerSpan(out);
  },
};
