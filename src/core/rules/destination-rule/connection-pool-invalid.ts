import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { asObject } from '../../istio/validation';
import { durationPrecisionProblem } from '../../istio/duration';
import type { Finding } from '../../types';
import { settingsBlocks } from './port-policies';

const HTTP_COUNTS = ['http1MaxPendingRequests', 'http2MaxRequests', 'maxRequestsPerConnection', 'maxRetries', 'maxConcurrentStreams'] as const;

/**
 * Connection pools (DR-08, validateConnectionPool): a pool configures http or tcp, its limits are not negative, its
 * timeouts are whole milliseconds, and `useClientProtocol` cannot be combined with `h2UpgradePolicy: UPGRADE`.
 * Duration syntax and the 1 ms floor are the CRD's checks.
 */
export const destinationRuleConnectionPoolInvalid: ResourceRule = {
  id: 'destination-rule-connection-pool-invalid',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['DestinationRule'],
  summary: 'A connectionPool sets http or tcp, with non-negative limits, whole-millisecond timeouts, and no useClientProtocol with UPGRADE.',
  scope: 'resource',
  check(dr) {
    const out: Finding[] = [];
    for (const b of settingsBlocks(dr)) {
      const pool = asObject(b.policy.connectionPool);
      if (!pool) continue;
      const path = [...b.path, 'connectionPool'];
      const http = asObject(pool.http);
      const tcp = asObject(pool.tcp);
      if ((pool.http === undefined || pool.http === null) && (pool.tcp === undefined || pool.tcp === null)) {
        out.push(finding(this, spanIn(dr, path, 'key'), `The connectionPool of ${b.where} sets neither http nor tcp.`));
        continue;
      }
      const negative = (o: Record<string, unknown>, k: string, p: (string | number)[]) => {
        const v = o[k];
        if (typeof v === 'number' && v < 0) out.push(finding(this, spanIn(dr, [...p, k]), `connectionPool ${k} ${v} of ${b.where} cannot be negative.`));
      };
      const duration = (o: Record<string, unknown>, k: string, p: (string | number)[], label = k) => {
        const problem = durationPrecisionProblem(o[k]);
        if (problem) out.push(finding(this, spanIn(dr, [...p, k]), `connectionPool ${label} "${String(o[k])}" of ${b.where} is invalid: ${problem}.`));
      };
      if (http) {
        const hp = [...path, 'http'];
        for (const k of HTTP_COUNTS) negative(http, k, hp);
        duration(http, 'idleTimeout', hp, 'http.idleTimeout');
        if (http.h2UpgradePolicy === 'UPGRADE' && http.useClientProtocol === true) {
          out.push(finding(this, spanIn(dr, [...hp, 'useClientProtocol']), `The connectionPool of ${b.where} sets useClientProtocol with h2UpgradePolicy UPGRADE.`));
        }
      }
      if (tcp) {
        const tp = [...path, 'tcp'];
        negative(tcp, 'maxConnections', tp);
        for (const k of ['connectTimeout', 'maxConnectionDuration', 'idleTimeout']) duration(tcp, k, tp, `tcp.${k}`);
        const ka = asObject(tcp.tcpKeepalive);
        if (ka) for (const k of ['time', 'interval']) duration(ka, k, [...tp, 'tcpKeepalive'], `tcpKeepalive.${k}`);
      }
    }
    return out;
  },
};
