// Every place a DestinationRule can hold connectionPool, outlierDetection and loadBalancer settings: the top-level
// and subset traffic policies and each of their portLevelSettings, which the webhook validates alike.
import type { JsonObject, Resource } from '../../istio/resource';
import type { PathSegment } from '../../yaml/documents';
import { asObject } from '../../istio/validation';
import { trafficPolicies } from './policies';

export interface SettingsAt {
  /** The policy object holding the settings (a trafficPolicy or a portLevelSettings entry). */
  policy: JsonObject;
  path: PathSegment[];
  where: string;
}

export function settingsBlocks(dr: Resource): SettingsAt[] {
  const out: SettingsAt[] = [];
  for (const p of trafficPolicies(dr)) {
    out.push(p);
    const ports = Array.isArray(p.policy.portLevelSettings) ? p.policy.portLevelSettings : [];
    ports.forEach((ps, i) => {
      const o = asObject(ps);
      if (!o) return;
      const n = asObject(o.port)?.number;
      out.push({ policy: o, path: [...p.path, 'portLevelSettings', i], where: `port ${typeof n === 'number' ? n : `#${i}`} of ${p.where}` });
    });
  }
  return out;
}
