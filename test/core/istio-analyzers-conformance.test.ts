import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RULES } from '../../src/core/rules/registry';
import type { Rule } from '../../src/core/rules/types';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { sharedPath } from '../support/shared';
import { lintPlaced, multisetMinus } from '../support/conformance';
import { TEST_NOW } from '../support/golden';

// Istio's analyzer test suite (`analyzers_test.go`, expectations extracted into EXPECTED.tsv), run the way Istio's
// harness runs it: one analyzer per case, so only the meshtls rules that mirror that analyzer count; the exact
// multiset of (code, resource) must come out; and the workspace also holds the default ingress gateway Pod and Service
// that `istioctl analyze` adds in file mode. The data stays in shared/ (Istio's, Apache-2.0) and is read in place.

const DATA = sharedPath('reference', 'istio-testdata');

/**
 * Which meshtls rules mirror each Istio analyzer. A rule listed here must carry one of the codes the analyzer
 * reports (checked below), so a finding's code is the rule's `istioCode`.
 */
const ANALYZER_RULES: Record<string, readonly string[]> = {
  'deprecation.FieldAnalyzer': ['virtual-service-fault-delay-percent-deprecated', 'sidecar-egress-proxy-deprecated'],
  'gateway.IngressGatewayPortAnalyzer': ['gateway-selector-no-workload', 'gateway-port-not-on-service'],
  'gateway.SecretAnalyzer': ['credential-unresolved', 'credential-wrong-namespace', 'credential-secret-keys', 'pem-malformed', 'cert-expired', 'cert-not-yet-valid'],
  'gateway.ConflictingGatewayAnalyzer': ['gateway-conflict'],
  'gateway.CertificateAnalyzer': ['gateway-duplicate-certificate'],
  'virtualservice.ConflictingMeshGatewayHostsAnalyzer': ['virtual-service-mesh-host-conflict'],
  'virtualservice.DestinationHostAnalyzer': ['virtual-service-ingress-subsets-ignored', 'virtual-service-destination-host-not-found', 'virtual-service-destination-port-required'],
  'virtualservice.DestinationRuleAnalyzer': ['virtual-service-subset-not-found'],
  'virtualservice.GatewayAnalyzer': ['virtual-service-gateway-not-found', 'virtual-service-host-not-in-gateway', 'virtual-service-internal-gateway-ref'],
  'virtualservice.JWTClaimRouteAnalyzer': ['virtual-service-jwt-claim-route-without-authn'],
  'destinationrule.CaCertificateAnalyzer': ['destination-rule-tls-no-ca-certificates', 'destination-rule-port-tls-no-ca-certificates'],
  'destinationrule.PodNotSelectedAnalyzer': ['destination-rule-host-unknown', 'destination-rule-subset-no-pods'],
};

/** Codes each analyzer can report (messages.yaml), to hold the mapping above honest. */
const ANALYZER_CODES: Record<string, readonly string[]> = {
  'deprecation.FieldAnalyzer': ['IST0002'],
  'gateway.IngressGatewayPortAnalyzer': ['IST0101', 'IST0162'],
  'gateway.SecretAnalyzer': ['IST0101', 'IST0161'],
  'gateway.ConflictingGatewayAnalyzer': ['IST0101', 'IST0145'],
  'gateway.CertificateAnalyzer': ['IST0138'],
  'virtualservice.ConflictingMeshGatewayHostsAnalyzer': ['IST0109'],
  'virtualservice.DestinationHostAnalyzer': ['IST0101', 'IST0112', 'IST0140'],
  'virtualservice.DestinationRuleAnalyzer': ['IST0101'],
  'virtualservice.GatewayAnalyzer': ['IST0101', 'IST0132', 'IST0165'],
  'virtualservice.JWTClaimRouteAnalyzer': ['IST0149'],
  'destinationrule.CaCertificateAnalyzer': ['IST0128', 'IST0129'],
  'destinationrule.PodNotSelectedAnalyzer': ['IST0173', 'IST0174'],
};

/**
 * Istio's GatewayAnalyzer reports a reference to a missing Gateway twice, as IST0101 (not found) and IST0132 (its
 * hosts are not in that Gateway); meshtls reports the one mistake once, with the first code. The second message is
 * the same verdict on the same node, so it is counted from the same finding.
 */
const ALSO_REPORTED_AS: Record<string, string> = { 'virtual-service-gateway-not-found': 'IST0132' };

/**
 * Codes Istio reports at most once per resource (ConflictingMeshGatewayHostsAnalyzer keeps a `reported` set);
 * meshtls reports each conflicting host on its own line, which is the same verdict on the same resource.
 */
const ONCE_PER_RESOURCE = new Set(['IST0109']);

/** `schema.ValidationAnalyzer.<Kind>` reports every webhook error and warning of that kind, and IST0130/IST0131. */
const SCHEMA_CODES = new Set(['IST0106', 'IST0133', 'IST0130', 'IST0131']);

function rulesFor(analyzer: string): Rule[] {
  const schema = /^schema\.ValidationAnalyzer\.(\w+)$/.exec(analyzer);
  if (schema) return RULES.filter((r) => r.istioCode && SCHEMA_CODES.has(r.istioCode) && r.kinds.includes(schema[1]));
  const ids = ANALYZER_RULES[analyzer];
  assert.ok(ids, `no mapping for analyzer ${analyzer}`);
  return ids.map((id) => {
    const r = RULES.find((x) => x.id === id);
    assert.ok(r, `unknown rule ${id}`);
    return r;
  });
}

/**
 * Messages that cannot be decided from the Istio YAML alone: they need the Services, ServiceEntries, Pods and Nodes
 * the analyzers read (meshtls reads them when the workspace declares them, as these cases do, and the score "in all"
 * counts them), or objects meshtls never reads (RequestAuthentication, Gateway API listeners). They still
 * run and still count as extra when meshtls reports something else; the score line separates them.
 */
const NEEDS_MORE_THAN_YAML: Record<string, string> = {
  'gateway.IngressGatewayPortAnalyzer': 'reads the Pods and Services of the gateway workload',
  'virtualservice.DestinationHostAnalyzer IST0101': 'reads Services and ServiceEntries',
  'virtualservice.DestinationHostAnalyzer IST0112': 'reads Services and ServiceEntries',
  'virtualservice.JWTClaimRouteAnalyzer': 'reads RequestAuthentications and the Pods of the gateway workload',
  'destinationrule.PodNotSelectedAnalyzer': 'reads Pods, Nodes and Services',
  // The gateway selector matches no Pod (the same check as IngressGatewayPortAnalyzer's IST0101).
  'gatewaySecret Gateway customgateway-wrongnamespace': 'reads the Pods of the gateway workload',
  'gatewaySecret Gateway bogusgateway': 'reads the Pods of the gateway workload',
  // A Kubernetes Gateway API Gateway.
  virtualServiceKubernetesGateways: 'a Gateway API Gateway',
};
function decidable(c: Row): boolean {
  const keys = [c.analyzer, `${c.analyzer} ${c.code}`, `${c.caseName} ${c.resource}`, c.caseName];
  return !keys.some((k) => NEEDS_MORE_THAN_YAML[k]);
}

/** What `istioctl analyze` adds in file mode (and the analyzer tests add): the default ingress gateway's Pod and Service. */
const FILE_MODE_DEFAULTS = `apiVersion: v1
kind: Pod
metadata:
  name: istio-ingressgateway-dummypod
  namespace: istio-system
  labels:
    istio: ingressgateway
---
apiVersion: v1
kind: Service
metadata:
  name: istio-ingressgateway
  namespace: istio-system
spec:
  selector:
    istio: ingressgateway
  ports:
  - {name: http2, port: 80, protocol: TCP}
  - {name: https, port: 443, protocol: TCP}
  - {name: tcp, port: 31400, protocol: TCP}
  - {name: tls, port: 15443, protocol: TCP}
`;

interface Row {
  caseName: string;
  analyzer: string;
  files: string[];
  code: string;
  resource: string;
}

interface CaseResult {
  caseName: string;
  analyzer: string;
  expected: string[];
  actual: string[];
  decidable: string[];
}

function readTable(root: string): Map<string, Row[]> {
  const lines = readFileSync(join(root, 'EXPECTED.tsv'), 'utf8').split('\n').filter(Boolean).slice(1);
  const cases = new Map<string, Row[]>();
  for (const line of lines) {
    const [caseName, analyzer, files, code, , , resource] = line.split('\t');
    const row = { caseName, analyzer, files: files.split(','), code, resource };
    let list = cases.get(caseName);
    if (!list) cases.set(caseName, (list = []));
    list.push(row);
  }
  return cases;
}

function runCase(root: string, rows: Row[]): CaseResult {
  const { caseName, analyzer, files } = rows[0];
  // The defaults sit beside the case's files, so they are applied with them (one deployment unit).
  const texts: Record<string, string> = { [join(dirname(files[0]), 'istioctl-file-mode-defaults.yaml')]: FILE_MODE_DEFAULTS };
  for (const f of files) texts[f] = readFileSync(join(root, f), 'utf8');
  const rules = rulesFor(analyzer);
  // istioctl analyze takes the files it is given as the whole cluster: a host no Service in them declares does not
  // exist. meshtls assumes that only when told (`completeRegistry`), since a repository rarely holds every Service.
  const placed = lintPlaced(texts, { config: { ...DEFAULT_CONFIG, completeRegistry: true }, now: TEST_NOW, rules });
  // Istio reports one message per code and anchor; several meshtls findings on one node (three problems with one
  // Secret, say) are one message there.
  const seen = new Set<string>();
  const actual: string[] = [];
  for (const p of placed) {
    const code = p.finding.istioCode;
    if (!code) continue;
    const key = ONCE_PER_RESOURCE.has(code) ? `${code}\t${p.name}` : `${code}\t${p.name}\t${p.finding.fileId}\t${p.finding.start}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const where = p.name ?? `(outside any resource: ${p.finding.fileId})`;
    actual.push(`${code} ${where}`);
    const also = ALSO_REPORTED_AS[p.finding.ruleId];
    if (also) actual.push(`${also} ${where}`);
  }
  const withMessages = rows.filter((r) => r.code !== '-');
  return {
    caseName,
    analyzer,
    expected: withMessages.map((r) => `${r.code} ${r.resource}`),
    actual,
    decidable: withMessages.filter(decidable).map((r) => `${r.code} ${r.resource}`),
  };
}

/**
 * The score can only go up: raise these as rules land. `matched` counts expected messages reproduced among the
 * YAML-decidable ones, `matchedAll` among all expected messages, `extra` every message meshtls reports that Istio does not (in any case), `silent` the cases
 * where Istio reports nothing and meshtls must not either.
 */
const FLOOR = { matched: 76, matchedAll: 96, extraAtMost: 0, silent: 9, cases: 47 };

test('Istio analyzer suite: every mapped rule carries a code its analyzer reports', () => {
  for (const [analyzer, ids] of Object.entries(ANALYZER_RULES)) {
    for (const r of rulesFor(analyzer)) assert.ok(ANALYZER_CODES[analyzer].includes(r.istioCode ?? ''), `${r.id} (${r.istioCode}) under ${analyzer}`);
    assert.equal(rulesFor(analyzer).length, ids.length);
  }
});

test('Istio analyzer suite: score', (t) => {
  if ('skip' in DATA) return t.skip(DATA.skip);
  const root = DATA.path;
  const results = [...readTable(root).values()].map((rows) => runCase(root, rows));
  let decidableTotal = 0;
  let matched = 0;
  let matchedAll = 0;
  let expectedAll = 0;
  let extra = 0;
  let silentCases = 0;
  let silent = 0;
  let passed = 0;
  const report: string[] = [];
  for (const r of results) {
    const missing = multisetMinus(r.expected, r.actual);
    const surplus = multisetMinus(r.actual, r.expected);
    const decidableMissing = multisetMinus(r.decidable, r.actual);
    decidableTotal += r.decidable.length;
    matched += r.decidable.length - decidableMissing.length;
    expectedAll += r.expected.length;
    matchedAll += r.expected.length - missing.length;
    extra += surplus.length;
    if (r.expected.length === 0) {
      silentCases++;
      if (r.actual.length === 0) silent++;
    }
    if (missing.length === 0 && surplus.length === 0) passed++;
    else report.push(`  ${r.caseName} [${r.analyzer}]${missing.map((m) => `\n    missing ${m}`).join('')}${surplus.map((m) => `\n    extra   ${m}`).join('')}`);
  }
  const score = `Istio analyzers: ${matched}/${decidableTotal} YAML-decidable messages (${matchedAll}/${expectedAll} in all), ${extra} extra, ${silent}/${silentCases} silent cases silent, ${passed}/${results.length} cases pass`;
  t.diagnostic(score);
  console.log(`${score}\n${report.join('\n')}`);
  assert.ok(matched >= FLOOR.matched, `matched ${matched} fell below ${FLOOR.matched}`);
  assert.ok(matchedAll >= FLOOR.matchedAll, `matched in all ${matchedAll} fell below ${FLOOR.matchedAll}`);
  assert.ok(extra <= FLOOR.extraAtMost, `extra ${extra} rose above ${FLOOR.extraAtMost}`);
  assert.ok(silent >= FLOOR.silent, `silent ${silent} fell below ${FLOOR.silent}`);
  assert.ok(passed >= FLOOR.cases, `cases ${passed} fell below ${FLOOR.cases}`);
});
