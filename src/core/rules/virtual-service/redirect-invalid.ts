import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { asObject, isSet } from '../../istio/validation';
import type { Finding } from '../../types';
import { matchesOf, routesOf } from './routes';
import { UINT32_MAX } from '../../istio/validation';

/**
 * HTTP redirects (HR-16): they must change something (uri, prefixRewrite, authority, scheme or port), use uri or
 * prefixRewrite but not both (prefixRewrite only after prefix matches), a 3xx code, scheme http/https and a valid port.
 */
export const virtualServiceRedirectInvalid: ResourceRule = {
  id: 'virtual-service-redirect-invalid',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['VirtualService'],
  summary: 'A redirect must change the URI, authority, scheme or port, with a 3xx code and scheme http or https.',
  scope: 'resource',
  check(vs) {
    const out: Finding[] = [];
    for (const r of routesOf(vs, 'http')) {
      const red = asObject(r.route?.redirect);
      if (!red) continue;
      const path = [...r.path, 'redirect'];
      const at = (k: string) => spanIn(vs, [...path, k]);
      if (isSet(red.uri) && isSet(red.prefixRewrite)) out.push(finding(this, at('prefixRewrite'), `The redirect of the ${r.label} sets both uri and prefixRewrite.`));
      if (!['uri', 'prefixRewrite', 'authority', 'scheme', 'port', 'derivePort'].some((k) => isSet(red[k]))) {
        out.push(finding(this, spanIn(vs, path, 'key'), `The redirect of the ${r.label} changes nothing; set uri, authority, scheme or port.`));
      }
      if (isSet(red.prefixRewrite)) {
        for (const m of matchesOf(r)) {
          const uri = asObject(m.match?.uri);
          if (uri && !isSet(uri.prefix) && uri.prefix !== '') {
            out.push(finding(this, spanIn(vs, [...m.path, 'uri']), `The redirect of the ${r.label} uses prefixRewrite, which needs a prefix uri match here.`));
          }
        }
      }
      const code = red.redirectCode;
      if (typeof code === 'number' && code !== 0 && (code < 300 || code > 399)) out.push(finding(this, at('redirectCode'), `Redirect code ${code} is not a 3xx status.`));
      const scheme = red.scheme;
      if (typeof scheme === 'string' && scheme !== '' && scheme !== 'http' && scheme !== 'https') out.push(finding(this, at('scheme'), `Redirect scheme "${scheme}" is not "http" or "https".`));
      const port = red.port;
      if (typeof port === 'number' && port > 65535 && port <= UINT32_MAX) out.push(finding(this, at('port'), `Redirect port ${port} is outside the range 1..65535.`));
    }
    return out;
  },
};
