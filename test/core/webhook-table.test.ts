import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { lintTexts } from '../support/golden';
import { sharedPath } from '../support/shared';
import { VIRTUAL_SERVICE_RULES } from '../../src/core/rules/virtual-service';
import { DESTINATION_RULE_RULES } from '../../src/core/rules/destination-rule';

// A table of webhook verdicts, written from Istio's validation.go / virtualservice.go logic (ValidateVirtualService,
// validateHTTPRoute, validateTrafficPolicy and their helpers) and istio-rules.md §1, §3, §5. `valid: true` means the
// webhook admits the object without error (warnings allowed); `valid: false` names the rule that must report an
// error. Constraints the CRD schema itself carries (durations under 1 ms, one-of, required fields) are not here: they
// belong to the schema layer.

const WEBHOOK = new Set([...VIRTUAL_SERVICE_RULES, ...DESTINATION_RULE_RULES].map((r) => r.id));
/** The area rules this table covers, which the valid corpora must never trip. */
const WEBHOOK_NEW = new Set([
  'virtual-service-retries-invalid',
  'virtual-service-fault-invalid',
  'virtual-service-cors-invalid',
  'virtual-service-mirror-invalid',
  'virtual-service-direct-response-invalid',
  'virtual-service-headers-invalid',
  'virtual-service-rewrite-invalid',
  'virtual-service-timeout-invalid',
  'virtual-service-match-invalid',
  'virtual-service-host-invalid',
  'destination-rule-connection-pool-invalid',
  'destination-rule-outlier-detection-invalid',
  'destination-rule-load-balancer-invalid',
  'destination-rule-traffic-policy-invalid',
]);

type Case = { name: string; valid: true; warn?: string } | { name: string; valid: false; rule: string };
type VsCase = Case & { http: object };
type DrCase = Case & { policy: object };

const dest = [{ destination: { host: 'reviews' } }];
const r = (extra: object) => ({ route: dest, ...extra });

const VS_CASES: VsCase[] = [
  // Retries (validateHTTPRetry)
  { name: 'retry: attempts and timeout', valid: true, http: r({ retries: { attempts: 3, perTryTimeout: '2s' } }) },
  { name: 'retry: retries off', valid: true, http: r({ retries: { attempts: 0 } }) },
  { name: 'retry: empty policy', valid: true, http: r({ retries: {} }) },
  { name: 'retry: known policies', valid: true, http: r({ retries: { attempts: 2, retryOn: '5xx,gateway-error,reset,connect-failure,retriable-4xx,refused-stream' } }) },
  { name: 'retry: gRPC policies', valid: true, http: r({ retries: { attempts: 2, retryOn: 'cancelled,deadline-exceeded,internal,resource-exhausted,unavailable' } }) },
  { name: 'retry: status codes', valid: true, http: r({ retries: { attempts: 2, retryOn: '503,429,retriable-status-codes' } }) },
  { name: 'retry: backoff', valid: true, http: r({ retries: { attempts: 2, backoff: '25ms' } }) },
  { name: 'retry: remote localities with attempts', valid: true, http: r({ retries: { attempts: 2, retryRemoteLocalities: true } }) },
  { name: 'retry: negative attempts', valid: false, rule: 'virtual-service-retries-invalid', http: r({ retries: { attempts: -1 } }) },
  { name: 'retry: timeout with attempts 0', valid: false, rule: 'virtual-service-retries-invalid', http: r({ retries: { attempts: 0, perTryTimeout: '1s' } }) },
  { name: 'retry: retryOn without attempts', valid: false, rule: 'virtual-service-retries-invalid', http: r({ retries: { retryOn: '5xx' } }) },
  { name: 'retry: remote localities without attempts', valid: false, rule: 'virtual-service-retries-invalid', http: r({ retries: { retryRemoteLocalities: false } }) },
  { name: 'retry: unknown policy', valid: false, rule: 'virtual-service-retries-invalid', http: r({ retries: { attempts: 2, retryOn: '5xx,invalid policy' } }) },
  { name: 'retry: unknown status code', valid: false, rule: 'virtual-service-retries-invalid', http: r({ retries: { attempts: 2, retryOn: '600,connect-failure' } }) },
  { name: 'retry: space after comma', valid: false, rule: 'virtual-service-retries-invalid', http: r({ retries: { attempts: 2, retryOn: '5xx, reset' } }) },
  { name: 'retry: sub-millisecond timeout', valid: false, rule: 'virtual-service-retries-invalid', http: r({ retries: { attempts: 2, perTryTimeout: '1.5ms' } }) },
  { name: 'retry: sub-millisecond backoff', valid: false, rule: 'virtual-service-retries-invalid', http: r({ retries: { attempts: 2, backoff: '0.0015s' } }) },
  // Fault injection (validateHTTPFaultInjection)
  { name: 'fault: abort 503', valid: true, http: r({ fault: { abort: { percentage: { value: 20 }, httpStatus: 503 } } }) },
  { name: 'fault: abort status 200 and 600 are the bounds', valid: true, http: r({ fault: { abort: { httpStatus: 600 } } }) },
  { name: 'fault: abort gRPC', valid: true, http: r({ fault: { abort: { grpcStatus: 'NOT_FOUND' } } }) },
  { name: 'fault: delay', valid: true, http: r({ fault: { delay: { percentage: { value: 0.0001 }, fixedDelay: '5s' } } }) },
  { name: 'fault: percentage 0', valid: true, http: r({ fault: { delay: { percentage: { value: 0 }, fixedDelay: '5s' } } }) },
  { name: 'fault: abort without error type is only a warning', valid: true, warn: 'virtual-service-fault-invalid', http: r({ fault: { abort: { percentage: { value: 5 } } } }) },
  { name: 'fault: empty', valid: false, rule: 'virtual-service-fault-invalid', http: r({ fault: {} }) },
  { name: 'fault: abort percentage over 100', valid: false, rule: 'virtual-service-fault-invalid', http: r({ fault: { abort: { percentage: { value: 101 }, httpStatus: 503 } } }) },
  { name: 'fault: abort percentage negative', valid: false, rule: 'virtual-service-fault-invalid', http: r({ fault: { abort: { percentage: { value: -1 }, httpStatus: 503 } } }) },
  { name: 'fault: delay percentage too small', valid: false, rule: 'virtual-service-fault-invalid', http: r({ fault: { delay: { percentage: { value: 0.00001 }, fixedDelay: '1s' } } }) },
  { name: 'fault: status 199', valid: false, rule: 'virtual-service-fault-invalid', http: r({ fault: { abort: { httpStatus: 199 } } }) },
  { name: 'fault: status 601', valid: false, rule: 'virtual-service-fault-invalid', http: r({ fault: { abort: { httpStatus: 601 } } }) },
  { name: 'fault: unknown gRPC status', valid: false, rule: 'virtual-service-fault-invalid', http: r({ fault: { abort: { grpcStatus: 'BOGUS' } } }) },
  { name: 'fault: http2Error', valid: false, rule: 'virtual-service-fault-invalid', http: r({ fault: { abort: { http2Error: 'x' } } }) },
  { name: 'fault: exponentialDelay', valid: false, rule: 'virtual-service-fault-invalid', http: r({ fault: { delay: { exponentialDelay: '1s' } } }) },
  { name: 'fault: sub-millisecond delay', valid: false, rule: 'virtual-service-fault-invalid', http: r({ fault: { delay: { fixedDelay: '1.0001s' } } }) },
  // CORS (validateCORSPolicy)
  {
    name: 'cors: full policy',
    valid: true,
    http: r({ corsPolicy: { allowOrigins: [{ exact: 'https://a.com' }, { prefix: 'https://b' }, { regex: 'https://.*\\.c\\.com' }], allowMethods: ['GET', 'POST', '*'], allowHeaders: ['x-a', '*'], exposeHeaders: ['x_b'], maxAge: '100s' } }),
  },
  { name: 'cors: maxAge in hours', valid: true, http: r({ corsPolicy: { maxAge: '2h' } }) },
  { name: 'cors: empty origin', valid: false, rule: 'virtual-service-cors-invalid', http: r({ corsPolicy: { allowOrigins: [{ exact: '' }] } }) },
  { name: 'cors: origin without match', valid: false, rule: 'virtual-service-cors-invalid', http: r({ corsPolicy: { allowOrigins: [{}] } }) },
  { name: 'cors: bad origin regex', valid: false, rule: 'virtual-service-cors-invalid', http: r({ corsPolicy: { allowOrigins: [{ regex: '?' }] } }) },
  { name: 'cors: lookahead origin regex', valid: false, rule: 'virtual-service-cors-invalid', http: r({ corsPolicy: { allowOrigins: [{ regex: '(?=a)b' }] } }) },
  { name: 'cors: lower-case method', valid: false, rule: 'virtual-service-cors-invalid', http: r({ corsPolicy: { allowMethods: ['get'] } }) },
  { name: 'cors: unknown method', valid: false, rule: 'virtual-service-cors-invalid', http: r({ corsPolicy: { allowMethods: ['PUTT'] } }) },
  { name: 'cors: bad header name', valid: false, rule: 'virtual-service-cors-invalid', http: r({ corsPolicy: { allowHeaders: ['a b'] } }) },
  { name: 'cors: header names are RFC 7230 tokens', valid: true, http: r({ corsPolicy: { allowHeaders: ['x.trace', 'x~y'], exposeHeaders: ["x'z"] } }) },
  { name: 'cors: empty expose header', valid: false, rule: 'virtual-service-cors-invalid', http: r({ corsPolicy: { exposeHeaders: [''] } }) },
  { name: 'cors: maxAge with nanos', valid: false, rule: 'virtual-service-cors-invalid', http: r({ corsPolicy: { maxAge: '5.000000042s' } }) },
  { name: 'cors: maxAge in milliseconds', valid: false, rule: 'virtual-service-cors-invalid', http: r({ corsPolicy: { maxAge: '1500ms' } }) },
  // Mirror (validateHTTPRoute, validateHTTPMirrors)
  { name: 'mirror: percentage', valid: true, http: r({ mirror: { host: 'shadow' }, mirrorPercentage: { value: 50.5 } }) },
  { name: 'mirror: mirrors', valid: true, http: r({ mirrors: [{ destination: { host: 'a' }, percentage: { value: 100 } }, { destination: { host: 'b' } }] }) },
  { name: 'mirror: deprecated mirrorPercent is a warning', valid: true, warn: 'virtual-service-mirror-invalid', http: r({ mirror: { host: 'shadow' }, mirrorPercent: 50 }) },
  { name: 'mirror: percentage over 100', valid: false, rule: 'virtual-service-mirror-invalid', http: r({ mirror: { host: 'shadow' }, mirrorPercentage: { value: 101 } }) },
  { name: 'mirror: percentage negative', valid: false, rule: 'virtual-service-mirror-invalid', http: r({ mirror: { host: 'shadow' }, mirrorPercentage: { value: -0.5 } }) },
  { name: 'mirror: mirrorPercent over 100', valid: false, rule: 'virtual-service-mirror-invalid', http: r({ mirror: { host: 'shadow' }, mirrorPercent: 101 }) },
  { name: 'mirror: mirrors percentage over 100', valid: false, rule: 'virtual-service-mirror-invalid', http: r({ mirrors: [{ destination: { host: 'a' }, percentage: { value: 200 } }] }) },
  { name: 'mirror: null mirrors entry', valid: false, rule: 'virtual-service-mirror-invalid', http: r({ mirrors: [null] }) },
  { name: 'mirror: mirror and mirrors', valid: false, rule: 'virtual-service-http-action-invalid', http: r({ mirror: { host: 'a' }, mirrors: [{ destination: { host: 'b' } }] }) },
  // Direct response (validateHTTPDirectResponse)
  { name: 'direct: 200 with body', valid: true, http: { directResponse: { status: 200, body: { string: 'ok' } } } },
  { name: 'direct: 600 is Istio bound', valid: true, http: { directResponse: { status: 600 } } },
  { name: 'direct: bytes body', valid: true, http: { directResponse: { status: 503, body: { bytes: 'aGVsbG8=' } } } },
  { name: 'direct: 150 KB body is a warning', valid: true, warn: 'virtual-service-direct-response-invalid', http: { directResponse: { status: 200, body: { string: 'x'.repeat(150 * 1024) } } } },
  { name: 'direct: status 199', valid: false, rule: 'virtual-service-direct-response-invalid', http: { directResponse: { status: 199 } } },
  { name: 'direct: status 601', valid: false, rule: 'virtual-service-direct-response-invalid', http: { directResponse: { status: 601 } } },
  { name: 'direct: body over 1 MB', valid: false, rule: 'virtual-service-direct-response-invalid', http: { directResponse: { status: 200, body: { string: 'x'.repeat(1024 * 1024 + 1) } } } },
  // Headers (header operation names and values, validateAuthorityRewrite)
  {
    name: 'headers: ordinary operations',
    valid: true,
    http: r({ headers: { request: { set: { 'x-a': 'b', ':authority': 'c' }, add: { 'x-pct': '100%%' }, remove: ['x-c'] }, response: { set: { 'x-host': '%HOSTNAME%' }, remove: ['x-d'] } } }),
  },
  { name: 'headers: variable with arguments', valid: true, http: r({ headers: { response: { add: { 'x-t': '%START_TIME(%s)%', 'x-m': '%UPSTREAM_METADATA(["a","b"])%' } } } }) },
  { name: 'headers: destination headers', valid: true, http: { route: [{ destination: { host: 'a' }, headers: { request: { set: { host: 'b' } } } }] } },
  { name: 'headers: set :path', valid: false, rule: 'virtual-service-headers-invalid', http: r({ headers: { request: { set: { ':path': '/x' } } } }) },
  { name: 'headers: add :method', valid: false, rule: 'virtual-service-headers-invalid', http: r({ headers: { request: { add: { ':method': 'GET' } } } }) },
  { name: 'headers: remove host', valid: false, rule: 'virtual-service-headers-invalid', http: r({ headers: { request: { remove: ['host'] } } }) },
  { name: 'headers: remove :authority', valid: false, rule: 'virtual-service-headers-invalid', http: r({ headers: { request: { remove: [':authority'] } } }) },
  { name: 'headers: response set Host', valid: false, rule: 'virtual-service-headers-invalid', http: r({ headers: { response: { set: { Host: 'x' } } } }) },
  { name: 'headers: response add :status', valid: false, rule: 'virtual-service-headers-invalid', http: r({ headers: { response: { add: { ':status': '200' } } } }) },
  { name: 'headers: empty name', valid: false, rule: 'virtual-service-headers-invalid', http: r({ headers: { request: { set: { '': 'x' } } } }) },
  { name: 'headers: lone percent', valid: false, rule: 'virtual-service-headers-invalid', http: r({ headers: { request: { set: { 'x-a': '100%' } } } }) },
  { name: 'headers: percent in the middle', valid: false, rule: 'virtual-service-headers-invalid', http: r({ headers: { response: { add: { 'x-a': 'abc%123' } } } }) },
  { name: 'headers: unterminated variable', valid: false, rule: 'virtual-service-headers-invalid', http: r({ headers: { response: { add: { 'x-a': '%START_TIME%%' } } } }) },
  { name: 'headers: control character', valid: false, rule: 'virtual-service-headers-invalid', http: r({ headers: { request: { set: { 'x-a': 'a\u0001b' } } } }) },
  { name: 'headers: destination set :path', valid: false, rule: 'virtual-service-headers-invalid', http: { route: [{ destination: { host: 'a' }, headers: { request: { set: { ':path': '/' } } } }] } },
  { name: 'headers: authority rewrite and host set', valid: false, rule: 'virtual-service-headers-invalid', http: r({ rewrite: { authority: 'a' }, headers: { request: { set: { host: 'b' } } } }) },
  { name: 'headers: authority set and added', valid: false, rule: 'virtual-service-headers-invalid', http: r({ headers: { request: { set: { ':authority': 'a' }, add: { host: 'b' } } } }) },
  // Rewrite (validateHTTPRewrite)
  { name: 'rewrite: uri', valid: true, http: r({ rewrite: { uri: '/v2' } }) },
  { name: 'rewrite: authority only', valid: true, http: r({ rewrite: { authority: 'x' } }) },
  { name: 'rewrite: regex', valid: true, http: r({ rewrite: { uriRegexRewrite: { match: '^/a(/.*)$', rewrite: '/b\\1' } } }) },
  { name: 'rewrite: empty', valid: false, rule: 'virtual-service-rewrite-invalid', http: r({ rewrite: {} }) },
  { name: 'rewrite: uri and regex', valid: false, rule: 'virtual-service-rewrite-invalid', http: r({ rewrite: { uri: '/a', uriRegexRewrite: { match: 'a', rewrite: 'b' } } }) },
  { name: 'rewrite: regex without rewrite', valid: false, rule: 'virtual-service-rewrite-invalid', http: r({ rewrite: { uriRegexRewrite: { match: 'a' } } }) },
  { name: 'rewrite: regex without match', valid: false, rule: 'virtual-service-rewrite-invalid', http: r({ rewrite: { uriRegexRewrite: { rewrite: 'b' } } }) },
  { name: 'rewrite: bad regex', valid: false, rule: 'virtual-service-rewrite-invalid', http: r({ rewrite: { uriRegexRewrite: { match: 'a{2,1}', rewrite: 'b' } } }) },
  // Timeout (ValidateDuration)
  { name: 'timeout: seconds', valid: true, http: r({ timeout: '10s' }) },
  { name: 'timeout: milliseconds', valid: true, http: r({ timeout: '0.001s' }) },
  { name: 'timeout: sub-millisecond', valid: false, rule: 'virtual-service-timeout-invalid', http: r({ timeout: '1.0001s' }) },
  // Fault status bounds and percentages (TestValidateHTTPFaultInjectionAbort / Delay)
  { name: 'fault: abort status 9000', valid: false, rule: 'virtual-service-fault-invalid', http: r({ fault: { abort: { percentage: { value: 20 }, httpStatus: 9000 } } }) },
  { name: 'fault: gRPC abort with negative percentage', valid: false, rule: 'virtual-service-fault-invalid', http: r({ fault: { abort: { percentage: { value: -10 }, grpcStatus: 'DEADLINE_EXCEEDED' } } }) },
  { name: 'fault: delay with nanoseconds', valid: false, rule: 'virtual-service-fault-invalid', http: r({ fault: { delay: { percentage: { value: 20 }, fixedDelay: '3.000000042s' } } }) },
  // Redirect codes (validateHTTPRedirect)
  { name: 'redirect: code 308', valid: true, http: { redirect: { uri: 't', authority: 't', redirectCode: 308 } } },
  { name: 'redirect: code 299', valid: false, rule: 'virtual-service-redirect-invalid', http: { redirect: { uri: 't', redirectCode: 299 } } },
  { name: 'redirect: code 400', valid: false, rule: 'virtual-service-redirect-invalid', http: { redirect: { uri: 't', redirectCode: 400 } } },
  // Route destinations (validateHTTPRouteDestinations)
  { name: 'destination: weights over 100 in total are allowed', valid: true, http: { route: [{ destination: { host: 'a' }, weight: 550 }, { destination: { host: 'b' }, weight: 500 }] } },
  { name: 'destination: port selector without number', valid: false, rule: 'virtual-service-destination-invalid', http: { route: [{ destination: { host: 'a', port: {} } }] } },
  // Regexes in matches (validateStringMatchRegexp, full RE2 syntax)
  { name: 'regex: RE2-only named group', valid: true, http: r({ match: [{ uri: { regex: '^/(?P<id>[0-9]+)$' } }] }) },
  { name: 'regex: POSIX class', valid: true, http: r({ match: [{ headers: { 'x-a': { regex: '[[:digit:]]+' } } }] }) },
  { name: 'regex: lone question mark', valid: false, rule: 'virtual-service-match-invalid', http: r({ match: [{ uri: { regex: '?' } }] }) },
  { name: 'regex: reversed repeat', valid: false, rule: 'virtual-service-match-invalid', http: r({ match: [{ uri: { regex: 'a{2,1}' } }] }) },
  { name: 'regex: repeat over 1000', valid: false, rule: 'virtual-service-match-invalid', http: r({ match: [{ uri: { regex: 'a{1001}' } }] }) },
  { name: 'regex: lookbehind', valid: false, rule: 'virtual-service-match-invalid', http: r({ match: [{ authority: { regex: '(?<=a)b' } }] }) },
  { name: 'regex: backreference', valid: false, rule: 'virtual-service-match-invalid', http: r({ match: [{ queryParams: { q: { regex: '(a)\\1' } } }] }) },
  { name: 'regex: possessive', valid: false, rule: 'virtual-service-match-invalid', http: r({ match: [{ method: { regex: 'G++' } }] }) },
];

const DR_CASES: DrCase[] = [
  // Connection pool (validateConnectionPool)
  { name: 'pool: http and tcp', valid: true, policy: { connectionPool: { http: { http2MaxRequests: 10, maxRetries: 0, idleTimeout: '30s' }, tcp: { maxConnections: 10, connectTimeout: '10ms', tcpKeepalive: { time: '2h' } } } } },
  { name: 'pool: upgrade without client protocol', valid: true, policy: { connectionPool: { http: { h2UpgradePolicy: 'UPGRADE' } } } },
  { name: 'pool: client protocol without upgrade', valid: true, policy: { connectionPool: { http: { h2UpgradePolicy: 'DO_NOT_UPGRADE', useClientProtocol: true } } } },
  { name: 'pool: empty', valid: false, rule: 'destination-rule-connection-pool-invalid', policy: { connectionPool: {} } },
  { name: 'pool: negative max retries', valid: false, rule: 'destination-rule-connection-pool-invalid', policy: { connectionPool: { http: { maxRetries: -1 } } } },
  { name: 'pool: negative pending', valid: false, rule: 'destination-rule-connection-pool-invalid', policy: { connectionPool: { http: { http1MaxPendingRequests: -1 } } } },
  { name: 'pool: negative streams', valid: false, rule: 'destination-rule-connection-pool-invalid', policy: { connectionPool: { http: { maxConcurrentStreams: -1 } } } },
  { name: 'pool: negative connections', valid: false, rule: 'destination-rule-connection-pool-invalid', policy: { connectionPool: { tcp: { maxConnections: -1 } } } },
  { name: 'pool: upgrade with client protocol', valid: false, rule: 'destination-rule-connection-pool-invalid', policy: { connectionPool: { http: { h2UpgradePolicy: 'UPGRADE', useClientProtocol: true } } } },
  { name: 'pool: sub-millisecond connect timeout', valid: false, rule: 'destination-rule-connection-pool-invalid', policy: { connectionPool: { tcp: { connectTimeout: '1.5ms' } } } },
  { name: 'pool: empty port-level pool', valid: false, rule: 'destination-rule-connection-pool-invalid', policy: { portLevelSettings: [{ port: { number: 80 }, connectionPool: {} }] } },
  // Outlier detection (validateOutlierDetection)
  { name: 'outlier: usual settings', valid: true, policy: { outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 100, minHealthPercent: 0 } } },
  { name: 'outlier: split local origin', valid: true, policy: { outlierDetection: { splitExternalLocalOriginErrors: true, consecutiveLocalOriginFailures: 10 } } },
  { name: 'outlier: deprecated consecutiveErrors is a warning', valid: true, warn: 'destination-rule-outlier-detection-invalid', policy: { outlierDetection: { consecutiveErrors: 5 } } },
  { name: 'outlier: max ejection over 100', valid: false, rule: 'destination-rule-outlier-detection-invalid', policy: { outlierDetection: { maxEjectionPercent: 101 } } },
  { name: 'outlier: min health negative', valid: false, rule: 'destination-rule-outlier-detection-invalid', policy: { outlierDetection: { minHealthPercent: -1 } } },
  { name: 'outlier: local origin without split', valid: false, rule: 'destination-rule-outlier-detection-invalid', policy: { outlierDetection: { consecutiveLocalOriginFailures: 10 } } },
  { name: 'outlier: sub-millisecond interval', valid: false, rule: 'destination-rule-outlier-detection-invalid', policy: { outlierDetection: { interval: '1.5ms' } } },
  // Load balancer (validateLoadBalancer, ValidateLocalityLbSetting)
  { name: 'lb: simple', valid: true, policy: { loadBalancer: { simple: 'LEAST_REQUEST' } } },
  { name: 'lb: cookie hash', valid: true, policy: { loadBalancer: { consistentHash: { httpCookie: { name: 'u', ttl: '0s' } } } } },
  { name: 'lb: ring hash', valid: true, policy: { loadBalancer: { consistentHash: { useSourceIp: true, ringHash: { minimumRingSize: 1024 } } } } },
  { name: 'lb: maglev prime', valid: true, policy: { loadBalancer: { consistentHash: { httpHeaderName: 'x', maglev: { tableSize: 65537 } } } } },
  { name: 'lb: deprecated minimumRingSize alone is a warning', valid: true, warn: 'destination-rule-load-balancer-invalid', policy: { loadBalancer: { consistentHash: { useSourceIp: true, minimumRingSize: 1024 } } } },
  { name: 'lb: distribute', valid: true, policy: { loadBalancer: { localityLbSetting: { distribute: [{ from: 'a/b/*', to: { 'a/b/*': 80, 'a/c/*': 20 } }, { from: 'c/*', to: { c: 100 } }] } } } },
  { name: 'lb: failover with outlier detection', valid: true, policy: { outlierDetection: { consecutive5xxErrors: 1 }, loadBalancer: { localityLbSetting: { failover: [{ from: 'a', to: 'b' }] } } } },
  { name: 'lb: failover priority with failover', valid: true, policy: { outlierDetection: {}, loadBalancer: { localityLbSetting: { failover: [{ from: 'a', to: 'b' }], failoverPriority: ['custom-label'] } } } },
  { name: 'lb: failover without outlier detection is a warning', valid: true, warn: 'destination-rule-load-balancer-invalid', policy: { loadBalancer: { localityLbSetting: { failover: [{ from: 'a', to: 'b' }] } } } },
  { name: 'lb: warmup', valid: true, policy: { loadBalancer: { simple: 'ROUND_ROBIN', warmup: { duration: '60s', aggression: 1, minimumPercent: 10 } } } },
  { name: 'lb: cookie without name', valid: false, rule: 'destination-rule-load-balancer-invalid', policy: { loadBalancer: { consistentHash: { httpCookie: { name: '', ttl: '0s' } } } } },
  { name: 'lb: minimumRingSize with maglev', valid: false, rule: 'destination-rule-load-balancer-invalid', policy: { loadBalancer: { consistentHash: { useSourceIp: true, minimumRingSize: 1, maglev: { tableSize: 7 } } } } },
  { name: 'lb: maglev without size', valid: false, rule: 'destination-rule-load-balancer-invalid', policy: { loadBalancer: { consistentHash: { useSourceIp: true, maglev: {} } } } },
  { name: 'lb: maglev not prime', valid: false, rule: 'destination-rule-load-balancer-invalid', policy: { loadBalancer: { consistentHash: { useSourceIp: true, maglev: { tableSize: 1000 } } } } },
  { name: 'lb: maglev too large', valid: false, rule: 'destination-rule-load-balancer-invalid', policy: { loadBalancer: { consistentHash: { useSourceIp: true, maglev: { tableSize: 5000011 } } } } },
  { name: 'lb: distribute and failover', valid: false, rule: 'destination-rule-load-balancer-invalid', policy: { outlierDetection: {}, loadBalancer: { localityLbSetting: { distribute: [{ from: 'a', to: { b: 100 } }], failover: [{ from: 'a', to: 'b' }] } } } },
  { name: 'lb: weights not 100', valid: false, rule: 'destination-rule-load-balancer-invalid', policy: { loadBalancer: { localityLbSetting: { distribute: [{ from: 'a', to: { b: 50, c: 40 } }] } } } },
  { name: 'lb: weight 0', valid: false, rule: 'destination-rule-load-balancer-invalid', policy: { loadBalancer: { localityLbSetting: { distribute: [{ from: 'a', to: { b: 100, c: 0 } }] } } } },
  { name: 'lb: wildcard not at the end', valid: false, rule: 'destination-rule-load-balancer-invalid', policy: { loadBalancer: { localityLbSetting: { distribute: [{ from: 'a/*/c', to: { b: 100 } }] } } } },
  { name: 'lb: overlapping from', valid: false, rule: 'destination-rule-load-balancer-invalid', policy: { loadBalancer: { localityLbSetting: { distribute: [{ from: 'a', to: { b: 100 } }, { from: 'a/z', to: { b: 100 } }] } } } },
  { name: 'lb: empty zone', valid: false, rule: 'destination-rule-load-balancer-invalid', policy: { loadBalancer: { localityLbSetting: { distribute: [{ from: 'a//c', to: { b: 100 } }] } } } },
  { name: 'lb: failover to itself', valid: false, rule: 'destination-rule-load-balancer-invalid', policy: { outlierDetection: {}, loadBalancer: { localityLbSetting: { failover: [{ from: 'a', to: 'a' }] } } } },
  { name: 'lb: failover to a zone', valid: false, rule: 'destination-rule-load-balancer-invalid', policy: { outlierDetection: {}, loadBalancer: { localityLbSetting: { failover: [{ from: 'a/z', to: 'b' }] } } } },
  { name: 'lb: failover wildcard', valid: false, rule: 'destination-rule-load-balancer-invalid', policy: { outlierDetection: {}, loadBalancer: { localityLbSetting: { failover: [{ from: 'a', to: '*' }] } } } },
  {
    name: 'lb: failover with topology priority',
    valid: false,
    rule: 'destination-rule-load-balancer-invalid',
    policy: { outlierDetection: {}, loadBalancer: { localityLbSetting: { failover: [{ from: 'a', to: 'b' }], failoverPriority: ['topology.kubernetes.io/region'] } } },
  },
  { name: 'lb: warmup aggression below 1', valid: false, rule: 'destination-rule-load-balancer-invalid', policy: { loadBalancer: { simple: 'ROUND_ROBIN', warmup: { duration: '60s', aggression: 0.5 } } } },
  // Tunnel (validateTunnelSettings)
  { name: 'tunnel: CONNECT', valid: true, policy: { tunnel: { protocol: 'CONNECT', targetHost: 'egress.example.com', targetPort: 8443 } } },
  { name: 'tunnel: POST to an IP', valid: true, policy: { tunnel: { protocol: 'POST', targetHost: '10.0.0.1', targetPort: 8443 } } },
  { name: 'tunnel: bad protocol', valid: false, rule: 'destination-rule-traffic-policy-invalid', policy: { tunnel: { protocol: 'GET', targetHost: 'a.com', targetPort: 1 } } },
  { name: 'tunnel: bad host', valid: false, rule: 'destination-rule-traffic-policy-invalid', policy: { tunnel: { targetHost: 'a_b.com', targetPort: 1 } } },
  { name: 'tunnel: port 0', valid: false, rule: 'destination-rule-traffic-policy-invalid', policy: { tunnel: { targetHost: 'a.com', targetPort: 0 } } },
];

const TLS_CASES: (Case & { spec: object })[] = [
  {
    name: 'sni: auto-generated name at a gateway',
    valid: true,
    spec: {
      hosts: ['outbound_.15010_._.istiod.istio-system.svc.cluster.local'],
      gateways: ['istiod-gateway'],
      tls: [{ match: [{ sniHosts: ['outbound_.15010_._.istiod.istio-system.svc.cluster.local'] }], route: [{ destination: { host: 'istiod.istio-system.svc.cluster.local' } }] }],
    },
  },
  {
    name: 'sni: IP address is a warning',
    valid: true,
    warn: 'virtual-service-match-invalid',
    spec: { hosts: ['db.example.com'], tls: [{ match: [{ sniHosts: ['1.2.3.4'] }], route: [{ destination: { host: 'db' } }] }] },
  },
  {
    name: 'sni: auto-generated name bound to mesh',
    valid: false,
    rule: 'virtual-service-match-invalid',
    spec: { hosts: ['a.example.com'], gateways: ['mesh'], tls: [{ match: [{ sniHosts: ['outbound_.80_._.a.example.com'] }], route: [{ destination: { host: 'a' } }] }] },
  },
  {
    name: 'host: auto-generated name without TLS sniHosts',
    valid: false,
    rule: 'virtual-service-host-invalid',
    spec: { hosts: ['outbound_.80_._.a.example.com'], gateways: ['gw'], http: [{ route: [{ destination: { host: 'a' } }] }] },
  },
  {
    name: 'host: auto-generated name whose port starts with 9 (Istio checks for a digit 0-8)',
    valid: false,
    rule: 'virtual-service-host-invalid',
    spec: { hosts: ['outbound_.9080_._.a.example.com'], gateways: ['gw'], tls: [{ match: [{ sniHosts: ['outbound_.9080_._.a.example.com'] }], route: [{ destination: { host: 'a' } }] }] },
  },
  {
    name: 'delegate: root and delegate routes may match by regex (Istio dropped that restriction)',
    valid: true,
    spec: { hosts: ['a.example.com'], http: [{ match: [{ uri: { regex: '/a.*' } }], delegate: { name: 'child' } }] },
  },
  { name: 'delegate: a delegate VirtualService matching by regex', valid: true, spec: { http: [{ match: [{ headers: { 'x-a': { regex: 'b.*' } } }], route: [{ destination: { host: 'a' } }] }] } },
  { name: 'match: empty withoutHeaders entry', valid: true, spec: { hosts: ['a'], http: [{ match: [{ withoutHeaders: { 'x-a': null } }], route: [{ destination: { host: 'a' } }] }] } },
  { name: 'match: empty headers entry', valid: false, rule: 'virtual-service-match-invalid', spec: { hosts: ['a'], http: [{ match: [{ headers: { 'x-a': null } }], route: [{ destination: { host: 'a' } }] }] } },
  // JWT claim routes (ValidateVirtualService): only a VirtualService that applies to gateways alone may route on claims.
  { name: 'jwt: claim route at a gateway', valid: true, spec: { hosts: ['a.example.com'], gateways: ['gw'], http: [{ match: [{ headers: { '@request.auth.claims.group': { exact: 'x' } } }], route: [{ destination: { host: 'a' } }] }] } },
  { name: 'jwt: claim route without gateways', valid: false, rule: 'virtual-service-match-invalid', spec: { hosts: ['a.example.com'], http: [{ match: [{ headers: { '@request.auth.claims.group': { exact: 'x' } } }], route: [{ destination: { host: 'a' } }] }] } },
  { name: 'jwt: claim route bound to mesh', valid: false, rule: 'virtual-service-match-invalid', spec: { hosts: ['a.example.com'], gateways: ['mesh'], http: [{ match: [{ headers: { '@request.auth.claims.group': { exact: 'x' } } }], route: [{ destination: { host: 'a' } }] }] } },
  { name: 'jwt: claim route at a gateway and mesh', valid: false, rule: 'virtual-service-match-invalid', spec: { hosts: ['a.example.com'], gateways: ['gw', 'mesh'], http: [{ match: [{ headers: { '@request.auth.claims.group': { exact: 'x' } } }], route: [{ destination: { host: 'a' } }] }] } },
  { name: 'jwt: claim in withoutHeaders without gateways', valid: false, rule: 'virtual-service-match-invalid', spec: { hosts: ['a.example.com'], http: [{ match: [{ withoutHeaders: { '@request.auth.claims.group': { exact: 'x' } } }], route: [{ destination: { host: 'a' } }] }] } },
  // Root routes and delegates (newer Istio dropped the "delegate only at gateways" and delegate sourceNamespace checks).
  { name: 'delegate: root route bound to sidecars', valid: true, spec: { hosts: ['a.example.com'], http: [{ delegate: { name: 'child', namespace: 'shop' } }] } },
  { name: 'delegate: root route with redirect', valid: false, rule: 'virtual-service-http-action-invalid', spec: { hosts: ['a.example.com'], gateways: ['gw'], http: [{ delegate: { name: 'child' }, redirect: { uri: '/lerp' } }] } },
  { name: 'delegate: delegate with tcp', valid: false, rule: 'virtual-service-delegate-invalid', spec: { tcp: [{ route: [{ destination: { host: 'a' } }] }] } },
];

function doc(kind: 'VirtualService' | 'DestinationRule', spec: object): string {
  return stringify({ apiVersion: 'networking.istio.io/v1', kind, metadata: { name: 'case', namespace: 'shop' }, spec });
}

/** Why the case disagrees with its verdict, or undefined when it agrees. */
function disagreement(c: Case, text: string): string | undefined {
  const findings = (lintTexts({ 'case.yaml': text }).get('case.yaml') ?? []).filter((f) => WEBHOOK.has(f.ruleId));
  const errors = findings.filter((f) => f.severity === 'error');
  if (c.valid) {
    if (errors.length > 0) return `${c.name}: valid, but ${errors.map((f) => `${f.ruleId}: ${f.message}`).join(' / ')}`;
    if (c.warn && !findings.some((f) => f.ruleId === c.warn && f.severity === 'warning' && f.istioCode === 'IST0133')) return `${c.name}: expected an IST0133 warning from ${c.warn}`;
  } else if (!errors.some((f) => f.ruleId === c.rule)) {
    return `${c.name}: expected an error from ${c.rule}, got ${JSON.stringify(errors.map((f) => f.ruleId))}`;
  }
  return undefined;
}

const ALL = [...VS_CASES.map((c) => ({ c, text: doc('VirtualService', { hosts: ['reviews'], http: [c.http] }) })), ...DR_CASES.map((c) => ({ c, text: doc('DestinationRule', { host: 'reviews', trafficPolicy: c.policy }) })), ...TLS_CASES.map((c) => ({ c, text: doc('VirtualService', c.spec) }))];

test(`webhook table: ${ALL.length} cases (${ALL.filter((x) => x.c.valid).length} valid)`, () => {
  assert.deepEqual(ALL.map(({ c, text }) => disagreement(c, text)).filter(Boolean), []);
});

test('webhook table: DestinationRule cases hold inside subsets and port-level settings too', () => {
  const out: (string | undefined)[] = [];
  for (const c of DR_CASES) {
    if ('tunnel' in c.policy || 'portLevelSettings' in c.policy) continue;
    out.push(disagreement(c, doc('DestinationRule', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' }, trafficPolicy: c.policy }] })));
    out.push(disagreement(c, doc('DestinationRule', { host: 'reviews', trafficPolicy: { portLevelSettings: [{ port: { number: 8080 }, ...c.policy }] } })));
  }
  assert.deepEqual(out.filter(Boolean), []);
});

// Configuration that Istio ships or that people run: none of it may draw an error from the webhook rules.
const CORPORA = [
  ['reference', 'istio-testdata', 'samples'],
  ['reference', 'istio-testdata', 'tests', 'testdata', 'config'],
  ['reference', 'realworld', 'corpus'],
];

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(e)) out.push(p);
  }
  return out;
}

for (const parts of CORPORA) {
  const at = sharedPath(...parts);
  test(`valid corpus shared/${parts.join('/')}: no webhook error from the VirtualService and DestinationRule rules`, (t) => {
    if ('skip' in at) return t.skip(at.skip);
    const offenders: string[] = [];
    let resources = 0;
    for (const f of yamlFiles(at.path)) {
      const text = readFileSync(f, 'utf8');
      if (!/kind:\s*(VirtualService|DestinationRule)/.test(text)) continue;
      resources += (text.match(/kind:\s*(VirtualService|DestinationRule)/g) ?? []).length;
      for (const x of lintTexts({ [f]: text }).get(f) ?? []) if (WEBHOOK_NEW.has(x.ruleId) && x.severity === 'error') offenders.push(`${f}: ${x.ruleId}: ${x.message}`);
    }
    assert.ok(resources > 0);
    assert.deepEqual(offenders, []);
  });
}
