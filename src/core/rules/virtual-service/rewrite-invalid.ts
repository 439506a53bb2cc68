import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { asObject, isSet } from '../../istio/validation';
import type { Finding } from '../../types';
import { routesOf } from './routes';
import { regexProblem } from './http-checks';

/**
 * HTTP rewrites (HR-18, validateHTTPRewrite): a rewrite changes the uri, the uri by regex (uriRegexRewrite) or the
 * authority; uri and uriRegexRewrite exclude each other; uriRegexRewrite needs both match and rewrite, and its match
 * is an RE2 regex.
 */
export const virtualServiceRewriteInvalid: ResourceRule = {
  id: 'virtual-service-rewrite-invalid',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['VirtualService'],
  summary: 'A rewrite sets uri or uriRegexRewrite (not both) or authority; uriRegexRewrite needs match and rewrite, in RE2.',
  scope: 'resource',
  check(vs) {
    const out: Finding[] = [];
    for (const r of routesOf(vs, 'http')) {
      const rw = asObject(r.route?.rewrite);
      if (!rw) continue;
      const path = [...r.path, 'rewrite'];
      const regex = rw.uriRegexRewrite === undefined || rw.uriRegexRewrite === null ? undefined : asObject(rw.uriRegexRewrite) ?? {};
      if (isSet(rw.uri) && regex) {
        out.push(finding(this, spanIn(vs, [...path, 'uriRegexRewrite'], 'key'), `The rewrite of the ${r.label} sets both uri and uriRegexRewrite.`));
        continue;
      }
      if (!isSet(rw.uri) && !regex && !isSet(rw.authority)) {
        out.push(finding(this, spanIn(vs, path, 'key'), `The rewrite of the ${r.label} changes nothing; set uri, uriRegexRewrite or authority.`));
        continue;
      }
      if (!regex) continue;
      const rp = [...path, 'uriRegexRewrite'];
      if (!isSet(regex.match) || !isSet(regex.rewrite)) {
        out.push(finding(this, spanIn(vs, rp, 'key'), `The uriRegexRewrite of the ${r.label} needs both match and rewrite.`));
        continue;
      }
      const p = typeof regex.match === 'string' ? regexProblem(regex.match) : undefined;
      if (p) out.push(finding(this, spanIn(vs, [...rp, 'match']), `uriRegexRewrite match "${String(regex.match)}" of the ${r.label} is invalid: ${p}.`));
    }
    return out;
  },
};
