import { finding, type ResourceRule } from '../types';
import { webhookWarning } from '../webhook-warning';
import { spanIn } from '../../istio/resource';
import { asObject } from '../../istio/validation';
import { durationPrecisionProblem } from '../../istio/duration';
import type { Finding } from '../../types';
import { settingsBlocks } from './port-policies';

/**
 * Outlier detection (DR-08, validateOutlierDetection): maxEjectionPercent and minHealthPercent are percentages
 * 0..100, interval and baseEjectionTime are whole milliseconds, consecutiveLocalOriginFailures only counts when
 * splitExternalLocalOriginErrors is on, and the deprecated consecutiveErrors draws a warning.
 */
export const destinationRuleOutlierDetectionInvalid: ResourceRule = {
  id: 'destination-rule-outlier-detection-invalid',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['DestinationRule'],
  summary: 'outlierDetection percentages are 0..100, durations whole milliseconds, local-origin failures need the split flag.',
  scope: 'resource',
  check(dr) {
    const out: Finding[] = [];
    for (const b of settingsBlocks(dr)) {
      const od = asObject(b.policy.outlierDetection);
      if (!od) continue;
      const path = [...b.path, 'outlierDetection'];
      for (const k of ['maxEjectionPercent', 'minHealthPercent']) {
        const v = od[k];
        if (typeof v === 'number' && (v < 0 || v > 100)) out.push(finding(this, spanIn(dr, [...path, k]), `outlierDetection ${k} ${v} of ${b.where} is not in the range 0..100.`));
      }
      for (const k of ['interval', 'baseEjectionTime']) {
        const p = durationPrecisionProblem(od[k]);
        if (p) out.push(finding(this, spanIn(dr, [...path, k]), `outlierDetection ${k} "${String(od[k])}" of ${b.where} is invalid: ${p}.`));
      }
      const local = od.consecutiveLocalOriginFailures;
      if (typeof local === 'number' && local > 0 && od.splitExternalLocalOriginErrors !== true) {
        out.push(finding(this, spanIn(dr, [...path, 'consecutiveLocalOriginFailures']), `outlierDetection of ${b.where} sets consecutiveLocalOriginFailures without splitExternalLocalOriginErrors: true.`));
      }
      if (typeof od.consecutiveErrors === 'number' && od.consecutiveErrors !== 0) {
        out.push(webhookWarning(this, spanIn(dr, [...path, 'consecutiveErrors'], 'key'), `outlierDetection consecutiveErrors of ${b.where} is deprecated; use consecutive5xxErrors or consecutiveGatewayErrors.`));
      }
    }
    return out;
  },
};
