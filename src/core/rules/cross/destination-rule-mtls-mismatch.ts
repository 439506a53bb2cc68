import { finding, type WorkspaceRule } from '../types';
import { isObject, spanIn, type Json, type Resource } from '../../istio/resource';
import type { PathSegment } from '../../yaml/documents';
import type { Finding } from '../../types';
import { crossModel, related, reportable, selectorSubset, onePerSpan, type CrossModel } from './model';
import { effectivePeerMode } from './peer-authentication-policy';

const CLUSTER_SUFFIX = '.svc.cluster.local';

interface TlsSetting {
  mode: 'ISTIO_MUTUAL' | 'DISABLE';
  path: PathSegment[];
  /** Service port of a portLevelSettings entry; undefined for a whole traffic policy. */
  port?: number;
  /** Extra pod labels a subset adds to the Service selector. */
  subsetLabels?: Record<string, string>;
}

/**
 * The client side (DestinationRule tls.mode) and the server side (PeerAuthentication mtls.mode) must agree: Istio
 * mutual TLS sent to a workload whose sidecar has mTLS disabled, or plaintext sent to a STRICT workload, fails every
 * connection with a 503 (upstream connect error / connection reset). istioctl's MTLSPolicyConflict analyzer
 * (IST0113) that covered this was retired, so this is meshtls's own check.
 */
export const destinationRuleMtlsMismatch: WorkspaceRule = {
  id: 'destination-rule-mtls-mismatch',
  defaultSeverity: 'error',
  kinds: ['DestinationRule', 'PeerAuthentication'],
  reads: ['DestinationRule', 'PeerAuthentication', 'Service', 'Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'Namespace'],
  summary: "A DestinationRule's tls.mode must agree with the PeerAuthentication of the workloads it targets.",
  scope: 'workspace',
  check(ctx) {
    const model = crossModel(ctx);
    if (model.peerAuthentications.length === 0) return [];
    const root = ctx.config.rootNamespace;
    const out: Finding[] = [];
    for (const dr of model.destinationRules) {
      if (!reportable(dr) || typeof dr.spec.host !== 'string') continue;
      const target = serviceOf(dr.spec.host, dr.namespace);
      if (!target) continue;
      const svc = model.serviceByKey.get(`${target.ns}/${target.name}`);
      const svcLabels = svc ? labelsOf(svc.spec.selector) : undefined;
      for (const t of tlsSettings(dr)) {
        const podLabels = svcLabels && t.subsetLabels ? { ...svcLabels, ...t.subsetLabels } : svcLabels;
        const port = t.port === undefined ? undefined : targetPort(svc, t.port);
        const decision = effectivePeerMode(model, root, target.ns, podLabels, port);
        if (!decision.source) continue;
        // Pods the workspace shows without a sidecar accept plaintext whatever the policy says.
        if (t.mode === 'DISABLE' && withoutSidecar(model, target.ns, podLabels ?? t.subsetLabels)) continue;
        const { pa, path } = decision.source;
        const paName = `"${pa.namespace}/${pa.name}"`;
        let message: string | undefined;
        if (t.mode === 'ISTIO_MUTUAL' && decision.mode === 'DISABLE') {
          message = `tls.mode ISTIO_MUTUAL sends mutual TLS to "${dr.spec.host}", but PeerAuthentication ${paName} disables mTLS there.`;
        } else if (t.mode === 'DISABLE' && decision.mode === 'STRICT' && pa.namespace !== root) {
          // Only when a policy in the target's own namespace says STRICT: under a mesh-wide STRICT alone, DISABLE
          // towards a service is the documented way to reach workloads without a sidecar, which files cannot reveal.
          message = `tls.mode DISABLE sends plaintext to "${dr.spec.host}", but PeerAuthentication ${paName} requires mutual TLS (STRICT) there.`;
        }
        if (!message) continue;
        out.push(finding(this, spanIn(dr, t.path), message, { related: [related(pa, path, `PeerAuthentication ${pa.namespace}/${pa.name} sets ${decision.mode}`)] }));
      }
    }
    return onePerSpan(out);
  },
};

/** The pod template labels and annotations of a workload manifest (a Pod's own metadata). */
function podMeta(r: Resource): { labels: Record<string, string>; annotations: Record<string, string> } {
  const meta = r.kind === 'Pod' ? r.value.metadata : isObject(r.spec.template) ? r.spec.template.metadata : undefined;
  const read = (v: Json | undefined) => labelsOf(v) ?? {};
  return isObject(meta) ? { labels: read(meta.labels), annotations: read(meta.annotations) } : { labels: {}, annotations: {} };
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Pod']);

/**
 * True when the workspace shows that the targeted pods run without a sidecar: every workload manifest whose pod
 * labels match opts out (`sidecar.istio.io/inject: "false"`, label or annotation), or the namespace manifest does not
 * turn injection on (no `istio-injection: enabled`, no `istio.io/rev`) and no matching workload opts in.
 */
function withoutSidecar(model: CrossModel, ns: string, labels: Record<string, string> | undefined): boolean {
  const workloads = model.placement.instances.filter((w) => WORKLOADS.has(w.kind) && w.namespace === ns && labels !== undefined && selectorSubset(labels, podMeta(w).labels));
  const inject = (w: Resource) => {
    const m = podMeta(w);
    return m.labels['sidecar.istio.io/inject'] ?? m.annotations['sidecar.istio.io/inject'];
  };
  if (workloads.length > 0 && workloads.every((w) => inject(w) === 'false')) return true;
  const namespace = model.placement.instances.find((n) => n.kind === 'Namespace' && n.name === ns);
  if (!namespace) return false;
  const nsLabels = labelsOf(isObject(namespace.value.metadata) ? namespace.value.metadata.labels : undefined) ?? {};
  const injected = nsLabels['istio-injection'] === 'enabled' || nsLabels['istio.io/rev'] !== undefined;
  return !injected && !workloads.some((w) => inject(w) === 'true');
}

/**
 * The Service a DestinationRule host names: a short name lives in the DestinationRule's namespace, and
 * `name.ns.svc.cluster.local` is explicit. Other forms (wildcards, external names, `name.ns`) name no workloads
 * meshtls can attribute to a namespace, so they are skipped.
 */
function serviceOf(host: string, drNs: string): { name: string; ns: string } | undefined {
  if (host.includes('*')) return undefined;
  if (!host.includes('.')) return { name: host, ns: drNs };
  if (!host.endsWith(CLUSTER_SUFFIX)) return undefined;
  const parts = host.slice(0, -CLUSTER_SUFFIX.length).split('.');
  return parts.length === 2 && parts[0] && parts[1] ? { name: parts[0], ns: parts[1] } : undefined;
}

function labelsOf(v: Json | undefined): Record<string, string> | undefined {
  if (!isObject(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) out[k] = String(x);
  return Object.keys(out).length ? out : undefined;
}

/** PeerAuthentication ports are container ports: translate a Service port through the Service manifest. */
function targetPort(svc: Resource | undefined, port: number): number {
  const ports = svc?.spec.ports;
  if (!Array.isArray(ports)) return port;
  for (const p of ports) {
    if (isObject(p) && p.port === port) return typeof p.targetPort === 'number' ? p.targetPort : port;
  }
  return port;
}

function tlsSettings(dr: Resource): TlsSetting[] {
  const out: TlsSetting[] = [];
  const fromPolicy = (policy: Json | undefined, base: PathSegment[], subsetLabels?: Record<string, string>) => {
    if (!isObject(policy)) return;
    const mode = isObject(policy.tls) ? policy.tls.mode : undefined;
    if (mode === 'ISTIO_MUTUAL' || mode === 'DISABLE') out.push({ mode, path: [...base, 'tls', 'mode'], subsetLabels });
    if (!Array.isArray(policy.portLevelSettings)) return;
    policy.portLevelSettings.forEach((pls, i) => {
      if (!isObject(pls) || !isObject(pls.tls) || !isObject(pls.port) || typeof pls.port.number !== 'number') return;
      const m = pls.tls.mode;
      if (m === 'ISTIO_MUTUAL' || m === 'DISABLE') out.push({ mode: m, path: [...base, 'portLevelSettings', i, 'tls', 'mode'], port: pls.port.number, subsetLabels });
    });
  };
  fromPolicy(dr.spec.trafficPolicy, ['spec', 'trafficPolicy']);
  if (Array.isArray(dr.spec.subsets)) {
    dr.spec.subsets.forEach((s, i) => {
      if (isObject(s)) fromPolicy(s.trafficPolicy, ['spec', 'subsets', i, 'trafficPolicy'], labelsOf(s.labels));
    });
  }
  return out;
}
