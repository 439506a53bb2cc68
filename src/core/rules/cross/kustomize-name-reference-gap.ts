import { pushTo } from '../../collections';
import { CREDENTIAL_READS } from '../credentials/analysis';
import { finding, type WorkspaceRule } from '../types';
import { spanIn } from '../../istio/resource';
import type { Placed } from '../../index/placement';
import type { Finding, Fix } from '../../types';
import { credentialUses, type CredentialUse } from '../../index/credentials';
import { insertAfterKey } from '../../yaml/edits';
import type { RuleContext } from '../types';
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
  reads: ['VirtualService', ...CREDENTIAL_READS],
  summary: 'A kustomize rename (namePrefix/nameSuffix, a generator\'s hash suffix) changes a Gateway or Secret name but not the reference to it.',
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
      pushTo(secretsByUnit, s.unit.id, s);
    }
    out.push(...generatedNameGaps(this, ctx, model.placement.ofResource));
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

/**
 * A Secret a kustomize secretGenerator creates is named `<prefix><name><suffix>-<hash of its contents>` unless
 * `disableNameSuffixHash` is set; kustomize rewrites the Secret references it knows (Pod volumes), never a Gateway's
 * credentialName nor a Gateway API certificateRef, so the listener names a Secret that never exists.
 */
function generatedNameGaps(rule: WorkspaceRule, ctx: RuleContext, ofResource: Map<object, Placed[]>): Finding[] {
  const out: Finding[] = [];
  for (const use of credentialUses(ctx.index, ctx.config)) {
    const g = use.resolution.source?.kind === 'kustomize' ? use.resolution.source.generated : undefined;
    if (!g || (!g.hashSuffix && g.builtName === use.name)) continue;
    // A nameReference configuration for credentialName makes kustomize rewrite the reference when both are in the build.
    if (!use.listener && (ofResource.get(use.gateway) ?? []).some((p) => p.unit.kind === 'kustomize' && p.unit.nameReferences?.has('Secret'))) continue;
    const built = `${g.builtName}${g.hashSuffix ? '-<hash>' : ''}`;
    const how = g.hashSuffix ? (g.builtName === g.name ? 'kustomize appends a hash of its contents' : 'kustomize adds the name prefix/suffix and a hash of its contents') : 'kustomize adds the name prefix/suffix';
    const field = use.listener ? 'certificateRef' : 'credentialName';
    out.push(
      finding(rule, use.span, `Secret "${use.name}" is generated by ${g.fileId} as "${built}" (${how}), but this ${field} is not rewritten.`, {
        related: [{ fileId: g.nameSpan.fileId, start: g.nameSpan.start, end: g.nameSpan.end, message: `secretGenerator "${g.name}"` }],
        fixes: disableHashFix(ctx, use, g),
      }),
    );
  }
  return out;
}

/** `options: {disableNameSuffixHash: true}` on the generator, when the hash is the only difference and it has no options yet. */
function disableHashFix(ctx: RuleContext, use: CredentialUse, g: NonNullable<NonNullable<CredentialUse['resolution']['source']>['generated']>): Fix[] {
  if (!g.hashSuffix || g.builtName !== use.name) return [];
  const file = ctx.index.yamlFiles.get(g.fileId);
  const d = file?.docs[0];
  const v = d?.value as { secretGenerator?: unknown[] } | undefined;
  const i = Array.isArray(v?.secretGenerator) ? v.secretGenerator.findIndex((e) => typeof e === 'object' && e !== null && (e as { name?: unknown }).name === g.name) : -1;
  if (!d || i < 0 || 'options' in (v!.secretGenerator![i] as object)) return [];
  const edit = insertAfterKey(d, ['secretGenerator', i], 'name', ['options:', '  disableNameSuffixHash: true']);
  return edit ? [{ title: `Set disableNameSuffixHash on secretGenerator "${g.name}"`, edits: [edit], preferred: true }] : [];
}
