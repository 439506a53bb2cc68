import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { analyzeRoutes } from './unreachable';

/**
 * A match identical to an earlier route's match, or an http uri prefix that an earlier shorter prefix with the same
 * other conditions already covers, never selects this route (VS-U1, IST0131).
 */
export const virtualServiceMatchIneffective: ResourceRule = {
  id: 'virtual-service-match-ineffective',
  istioCode: 'IST0131',
  defaultSeverity: 'info',
  kinds: ['VirtualService'],
  summary: 'A match already made by an earlier route (same conditions, or a covering uri prefix) has no effect.',
  scope: 'resource',
  check(vs) {
    return analyzeRoutes(vs).ineffective.map((x) => {
      const what = x.prefix
        ? `uri prefix "${x.prefix.later}" is already covered by prefix "${x.prefix.earlier}" in the ${x.by.label}`
        : `it repeats a match of the ${x.by.label}`;
      return finding(this, spanIn(vs, x.matchPath), `Match #${x.matchIndex} of the ${x.route.label} has no effect: ${what}.`, {
        related: [{ ...spanIn(vs, x.byMatchPath), message: 'The earlier match.' }],
      });
    });
  },
};
