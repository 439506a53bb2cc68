import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { asObject } from '../../istio/validation';
import type { Finding } from '../../types';
import { routesOf } from './routes';
import { durationPrecisionProblem, regexProblem } from './http-checks';

/** Go's net/http method names and `*`, the set Istio accepts in allowMethods. */
const CORS_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', '*']);
/** RFC 7230 token characters, Istio's validHeaderNameRegex. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * CORS policies (HR-13, validateCORSPolicy): each allowOrigins entry matches a non-empty string (a regex in RE2
 * syntax), allowMethods are HTTP method names, allowHeaders/exposeHeaders are header names (RFC 7230 tokens) or `*`, and maxAge is a
 * whole number of seconds. Duration syntax and the 1 ms floor are the CRD's checks.
 */
export const virtualServiceCorsInvalid: ResourceRule = {
  id: 'virtual-service-cors-invalid',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['VirtualService'],
  summary: 'CORS policies need non-empty RE2 origin matches, HTTP method names, valid header names and a maxAge in whole seconds.',
  scope: 'resource',
  check(vs) {
    const out: Finding[] = [];
    for (const r of routesOf(vs, 'http')) {
      const cors = asObject(r.route?.corsPolicy);
      if (!cors) continue;
      const path = [...r.path, 'corsPolicy'];
      const origins = Array.isArray(cors.allowOrigins) ? cors.allowOrigins : [];
      origins.forEach((o, i) => {
        const sm = asObject(o);
        if (!sm) return;
        const at = [...path, 'allowOrigins', i];
        const kind = (['exact', 'prefix', 'regex'] as const).find((k) => sm[k] !== undefined && sm[k] !== null);
        const value = kind ? sm[kind] : undefined;
        if (typeof value !== 'string' || value === '') {
          if (value === undefined || typeof value === 'string') out.push(finding(this, spanIn(vs, kind ? [...at, kind] : at), `allowOrigins entry #${i} of the ${r.label} has an empty match; give an exact, prefix or regex origin.`));
          return;
        }
        if (kind === 'regex') {
          const p = regexProblem(value);
          if (p) out.push(finding(this, spanIn(vs, [...at, 'regex']), `allowOrigins regex "${value}" of the ${r.label} is invalid: ${p}.`));
        }
      });
      const methods = Array.isArray(cors.allowMethods) ? cors.allowMethods : [];
      methods.forEach((m, i) => {
        if (typeof m === 'string' && !CORS_METHODS.has(m)) out.push(finding(this, spanIn(vs, [...path, 'allowMethods', i]), `"${m}" in allowMethods of the ${r.label} is not a supported HTTP method.`));
      });
      for (const field of ['allowHeaders', 'exposeHeaders'] as const) {
        const names = Array.isArray(cors[field]) ? (cors[field] as unknown[]) : [];
        names.forEach((n, i) => {
          if (typeof n !== 'string') return;
          if (n === '') out.push(finding(this, spanIn(vs, [...path, field, i]), `${field} of the ${r.label} has an empty header name.`));
          else if (n !== '*' && !HEADER_NAME.test(n)) out.push(finding(this, spanIn(vs, [...path, field, i]), `"${n}" in ${field} of the ${r.label} is not a valid header name.`));
        });
      }
      const p = durationPrecisionProblem(cors.maxAge, 's');
      if (p) out.push(finding(this, spanIn(vs, [...path, 'maxAge']), `CORS maxAge "${String(cors.maxAge)}" of the ${r.label} is invalid: ${p}.`));
    }
    return out;
  },
};
