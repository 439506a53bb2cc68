import { finding } from './types';
import type { Finding, Span } from '../types';

/**
 * A webhook warning reported by a rule whose other findings are webhook errors. Istio accepts the object and
 * returns the text as an admission warning, which `istioctl analyze` reports as IST0133 rather than IST0106.
 */
export function webhookWarning(rule: Parameters<typeof finding>[0], span: Span, message: string): Finding {
  return { ...finding(rule, span, message, { severity: 'warning' }), istioCode: 'IST0133' };
}
