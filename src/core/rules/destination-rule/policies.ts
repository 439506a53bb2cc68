// Walks a DestinationRule's traffic policies: the top-level one, each subset's, and their portLevelSettings, which
// is where the webhook applies the same checks recursively.
import type { JsonObject, Resource } from '../../istio/resource';
import type { PathSegment } from '../../yaml/documents';
import { asObject } from '../../istio/validation';

export interface PolicyAt {
  policy: JsonObject;
  path: PathSegment[];
  /** Where the policy sits, for messages: `trafficPolicy`, `subset "v1"`, … */
  where: string;
}

/** The top-level and subset trafficPolicy objects (not port-level ones). */
export function trafficPolicies(dr: Resource): PolicyAt[] {
  const out: PolicyAt[] = [];
  const top = asObject(dr.spec.trafficPolicy);
  if (top) out.push({ policy: top, path: ['spec', 'trafficPolicy'], where: 'the trafficPolicy' });
  const subsets = Array.isArray(dr.spec.subsets) ? dr.spec.subsets : [];
  subsets.forEach((s, i) => {
    const sub = asObject(s);
    const p = asObject(sub?.trafficPolicy);
    const name = typeof sub?.name === 'string' ? `"${sub.name}"` : `#${i}`;
    if (p) out.push({ policy: p, path: ['spec', 'subsets', i, 'trafficPolicy'], where: `the trafficPolicy of subset ${name}` });
  });
  return out;
}

export interface TlsAt {
  tls: JsonObject;
  path: PathSegment[];
  where: string;
  mode: string;
}

const DR_TLS_MODES: readonly string[] = ['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL'];

/** Every client TLS block of a DestinationRule whose mode is readable (an omitted mode is DISABLE). */
export function tlsSettings(dr: Resource): TlsAt[] {
  const out: TlsAt[] = [];
  const add = (v: unknown, path: PathSegment[], where: string) => {
    const tls = asObject(v);
    if (!tls) return;
    const mode = tls.mode === undefined || tls.mode === null ? 'DISABLE' : tls.mode;
    if (typeof mode === 'string' && DR_TLS_MODES.includes(mode)) out.push({ tls, path, where, mode });
  };
  for (const p of trafficPolicies(dr)) {
    add(p.policy.tls, [...p.path, 'tls'], p.where);
    const ports = Array.isArray(p.policy.portLevelSettings) ? p.policy.portLevelSettings : [];
    ports.forEach((ps, i) => {
      const o = asObject(ps);
      const n = asObject(o?.port)?.number;
      add(o?.tls, [...p.path, 'portLevelSettings', i, 'tls'], `port ${typeof n === 'number' ? n : `#${i}`} of ${p.where}`);
    });
  }
  return out;
}
