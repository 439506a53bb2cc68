import { finding, type ResourceRule } from '../types';
import { webhookWarning } from '../webhook-warning';
import { spanIn } from '../../istio/resource';
import { asObject } from '../../istio/validation';
import type { Finding } from '../../types';
import { routesOf } from './routes';
import { durationPrecisionProblem, GRPC_STATUS_NAMES, isHttpStatusInRange, isBadPercentage } from './http-checks';

const present = (v: unknown) => v !== undefined && v !== null;

/**
 * HTTP fault injection (HR-14, validateHTTPFaultInjection): a fault has an abort or a delay; percentages are 0 or
 * 0.0001..100; an abort returns an HTTP status 200..599 or a known gRPC status (http2Error is not supported, and an
 * abort with no error type is only a warning); a delay is a whole-millisecond fixedDelay (exponentialDelay is not
 * supported). The one-of choices themselves are the CRD's checks.
 */
export const virtualServiceFaultInvalid: ResourceRule = {
  id: 'virtual-service-fault-invalid',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['VirtualService'],
  summary: 'Fault injection needs an abort or delay, percentages 0..100, an HTTP status 200..599 or known gRPC status, and a fixedDelay.',
  scope: 'resource',
  check(vs) {
    const out: Finding[] = [];
    for (const r of routesOf(vs, 'http')) {
      const fault = asObject(r.route?.fault);
      if (!fault) continue;
      const path = [...r.path, 'fault'];
      const abort = asObject(fault.abort);
      const delay = asObject(fault.delay);
      if (!present(fault.abort) && !present(fault.delay)) {
        out.push(finding(this, spanIn(vs, path, 'key'), `The fault of the ${r.label} has neither an abort nor a delay.`));
      }
      if (abort) {
        const ap = [...path, 'abort'];
        const pv = asObject(abort.percentage)?.value;
        if (isBadPercentage(pv)) out.push(finding(this, spanIn(vs, [...ap, 'percentage', 'value']), `Abort percentage ${pv} of the ${r.label} is neither 0 nor within 0.0001..100.`));
        if (present(abort.grpcStatus)) {
          if (typeof abort.grpcStatus === 'string' && !GRPC_STATUS_NAMES.has(abort.grpcStatus)) {
            out.push(finding(this, spanIn(vs, [...ap, 'grpcStatus']), `gRPC status "${abort.grpcStatus}" of the ${r.label} abort is not a gRPC status code name such as NOT_FOUND.`));
          }
        } else if (present(abort.http2Error)) {
          out.push(finding(this, spanIn(vs, [...ap, 'http2Error'], 'key'), `The abort of the ${r.label} uses http2Error, which Istio does not support yet.`));
        } else if (present(abort.httpStatus)) {
          if (typeof abort.httpStatus === 'number' && !isHttpStatusInRange(abort.httpStatus)) {
            out.push(finding(this, spanIn(vs, [...ap, 'httpStatus']), `Abort HTTP status ${abort.httpStatus} of the ${r.label} is not in the range 200-599.`));
          }
        } else {
          out.push(webhookWarning(this, spanIn(vs, ap, 'key'), `The abort of the ${r.label} sets no httpStatus or grpcStatus, so it has no error type.`));
        }
      }
      if (delay) {
        const dp = [...path, 'delay'];
        const pv = asObject(delay.percentage)?.value;
        if (isBadPercentage(pv)) out.push(finding(this, spanIn(vs, [...dp, 'percentage', 'value']), `Delay percentage ${pv} of the ${r.label} is neither 0 nor within 0.0001..100.`));
        const fp = durationPrecisionProblem(delay.fixedDelay);
        if (fp) out.push(finding(this, spanIn(vs, [...dp, 'fixedDelay']), `fixedDelay "${String(delay.fixedDelay)}" of the ${r.label} is invalid: ${fp}.`));
        if (present(delay.exponentialDelay)) {
          out.push(finding(this, spanIn(vs, [...dp, 'exponentialDelay'], 'key'), `The delay of the ${r.label} uses exponentialDelay, which Istio does not support yet.`));
        }
      }
    }
    return out;
  },
};
