import { finding, type ResourceRule } from '../types';
import { webhookWarning } from '../webhook-warning';
import { spanIn } from '../../istio/resource';
import { asObject } from '../../istio/validation';
import type { Finding } from '../../types';
import { routesOf } from './routes';
import { isHttpStatusInRange } from './http-checks';

const KB = 1024;
const MB = 1024 * KB;

/** Bytes in the body as Istio counts them: UTF-8 for `string`, the decoded length for base64 `bytes`. */
function bodySize(body: Record<string, unknown>): number | undefined {
  if (typeof body.string === 'string') return new TextEncoder().encode(body.string).length;
  if (typeof body.bytes === 'string') {
    const b64 = body.bytes.replace(/\s+/g, '');
    const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
    return Math.floor((b64.length * 3) / 4) - pad;
  }
  return undefined;
}

/**
 * directResponse (HR-17, validateHTTPDirectResponse): the status is an HTTP status 200..599 and the body stays
 * under 1 MB (over 100 KB draws a warning), because every byte is pushed to every proxy in the xDS configuration.
 */
export const virtualServiceDirectResponseInvalid: ResourceRule = {
  id: 'virtual-service-direct-response-invalid',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['VirtualService'],
  summary: 'A directResponse needs a status 200..599 and a body under 1 MB (a warning over 100 KB).',
  scope: 'resource',
  check(vs) {
    const out: Finding[] = [];
    for (const r of routesOf(vs, 'http')) {
      const dr = asObject(r.route?.directResponse);
      if (!dr) continue;
      const path = [...r.path, 'directResponse'];
      // A missing or negative status is the CRD's finding (`required`, `minimum: 0`).
      if (typeof dr.status === 'number' && dr.status >= 0 && !isHttpStatusInRange(dr.status)) {
        out.push(finding(this, spanIn(vs, [...path, 'status']), `directResponse status ${dr.status} of the ${r.label} is not in the range 200-599.`));
      }
      const body = asObject(dr.body);
      const size = body ? bodySize(body) : undefined;
      if (size !== undefined && size > 100 * KB) {
        const at = spanIn(vs, [...path, 'body'], 'key');
        if (size > MB) out.push(finding(this, at, `The directResponse body of the ${r.label} is ${size} bytes; Istio rejects bodies over 1 MB.`));
        else out.push(webhookWarning(this, at, `The directResponse body of the ${r.label} is ${size} bytes; bodies over 100 KB weigh on the control plane.`));
      }
    }
    return out;
  },
};
