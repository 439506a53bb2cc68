import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { analyzeRoutes } from './unreachable';

/**
 * Routes are tried in order, so a route after a catch-all (a route without `match`), or one whose every match an
 * earlier route already made, is never used (VS-U1, IST0130).
 */
export const virtualServiceRuleUnreachable: ResourceRule = {
  id: 'virtual-service-rule-unreachable',
  istioCode: 'IST0130',
  defaultSeverity: 'warning',
  kinds: ['VirtualService'],
  summary: 'A route after a catch-all route, or whose matches are all taken by earlier routes, is never used.',
  scope: 'resource',
  check(vs) {
    return analyzeRoutes(vs).unreachable.map((u) => {
      const span = spanIn(vs, u.route.path);
      if (u.reason === 'all-matches-used') return finding(this, span, `The ${u.route.label} is never used: earlier routes already take all of its matches.`);
      const by = u.by!;
      return finding(this, span, `The ${u.route.label} is never used: the ${by.label} before it has no match and takes all traffic.`, {
        related: [{ ...spanIn(vs, by.path), message: `The catch-all ${by.label}.` }],
      });
    });
  },
};
