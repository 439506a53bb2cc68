import { finding, type ResourceRule } from '../types';
import { webhookWarning } from '../webhook-warning';
import { spanIn, type JsonObject } from '../../istio/resource';
import { asObject, isDns1123Label, isIPOrCidr, isIstioAutoSniName, isLabelKey, isLabelValue, wildcardDomainProblem, isIP } from '../../istio/validation';
import type { Resource } from '../../istio/resource';
import type { PathSegment } from '../../yaml/documents';
import type { Finding } from '../../types';
import { gatewayRefs, matchesOf, routesOf, type RouteAt } from './routes';
import { re2Problem } from './re2';
import { UINT32_MAX } from '../../istio/validation';

const HEADER_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

type Warn = (path: PathSegment[], message: string) => void;

/**
 * validateSniHost: the host check is the gateway one (auto-generated `outbound_…` names pass) unless the
 * VirtualService names the "mesh" gateway; an IP address is only a warning, because SNI carries names.
 */
export function sniHostVerdict(vs: Resource, s: string): { error?: string; warning?: string } {
  const gatewayBound = !gatewayRefs(vs).includes('mesh');
  const p = gatewayBound && isIstioAutoSniName(s) ? undefined : wildcardDomainProblem(s);
  if (!p) return {};
  if (isIP(s)) return { warning: `SNI host "${s}" is an IP address, which goes against the SNI specification; most clients never send it` };
  return { error: `SNI host "${s}" is not a valid host name: ${p}` };
}

const PSEUDO_HEADERS: readonly string[] = [':method', ':scheme', ':authority', ':path', ':status'];
const MAX_REGEX = 1024;

type Emit = (path: PathSegment[], message: string, which?: 'key' | 'value') => void;

/** Checks one StringMatch (`{exact|prefix|regex}`) the way the webhook does for `where`. */
function checkStringMatch(sm: JsonObject, path: PathSegment[], where: string, opts: { prefixMayBeEmpty: boolean; starRegexOk: boolean }, emit: Emit): void {
  if (!opts.prefixMayBeEmpty && sm.prefix === '') emit([...path, 'prefix'], `The ${where} match has an empty prefix.`);
  const re = sm.regex;
  if (typeof re !== 'string') return;
  if (re === '') emit([...path, 'regex'], `The ${where} match has an empty regex.`);
  else if (re.length > MAX_REGEX) emit([...path, 'regex'], `The ${where} regex is ${re.length} characters long, more than the ${MAX_REGEX} Istio allows.`);
  else if (!(opts.starRegexOk && re === '*')) {
    const p = re2Problem(re);
    if (p) emit([...path, 'regex'], `The ${where} regex "${re}" is invalid: ${p}.`);
  }
}

function checkHeaderMap(map: unknown, path: PathSegment[], field: string, emit: Emit): void {
  const headers = asObject(map);
  if (!headers) return;
  for (const [name, value] of Object.entries(headers)) {
    const at = [...path, name];
    if (name === '') emit(at, `A ${field} entry has an empty header name.`, 'key');
    else if (!HEADER_TOKEN.test(name) && !PSEUDO_HEADERS.includes(name) && !name.startsWith('@request.auth.claims.')) {
      emit(at, `"${name}" in ${field} is not a valid header name.`, 'key');
    }
    // Istio refuses a null header match but lets a null withoutHeaders entry through (it means "absent").
    if (value === null) {
      if (field === 'headers') emit(at, `Header match "${name}" in ${field} has no value.`, 'key');
      continue;
    }
    const sm = asObject(value);
    if (sm) checkStringMatch(sm, at, `${field} "${name}"`, { prefixMayBeEmpty: false, starRegexOk: field === 'withoutHeaders' }, emit);
  }
}

function checkPort(m: JsonObject, path: PathSegment[], emit: Emit): void {
  const p = m.port;
  if (typeof p === 'number' && Number.isInteger(p) && (p === 0 || (p > 65535 && p <= UINT32_MAX))) emit([...path, 'port'], `Match port ${p} is outside the range 1..65535.`);
}

function checkCommon(m: JsonObject, path: PathSegment[], emit: Emit): void {
  checkPort(m, path, emit);
  const ns = m.sourceNamespace;
  if (typeof ns === 'string' && ns !== '' && !isDns1123Label(ns)) emit([...path, 'sourceNamespace'], `sourceNamespace "${ns}" is not a valid namespace name.`);
  const labels = asObject(m.sourceLabels);
  if (labels) {
    for (const [k, v] of Object.entries(labels)) {
      if (!isLabelKey(k)) emit([...path, 'sourceLabels', k], `sourceLabels key "${k}" is not a valid label name.`, 'key');
      else if (typeof v === 'string' && !isLabelValue(v)) emit([...path, 'sourceLabels', k], `sourceLabels value "${v}" of "${k}" is not a valid label value.`);
    }
  }
}

function checkHttp(r: RouteAt, emit: Emit): void {
  for (const { match: m, path } of matchesOf(r)) {
    if (!m) continue;
    const uri = asObject(m.uri);
    // For uri only the regex is checked: an empty prefix means "everything" there.
    if (uri) checkStringMatch(uri, [...path, 'uri'], 'uri', { prefixMayBeEmpty: true, starRegexOk: false }, emit);
    for (const f of ['scheme', 'method', 'authority'] as const) {
      const sm = asObject(m[f]);
      if (sm) checkStringMatch(sm, [...path, f], f, { prefixMayBeEmpty: false, starRegexOk: false }, emit);
    }
    checkHeaderMap(m.headers, [...path, 'headers'], 'headers', emit);
    checkHeaderMap(m.withoutHeaders, [...path, 'withoutHeaders'], 'withoutHeaders', emit);
    const qp = asObject(m.queryParams);
    if (qp) {
      for (const [k, v] of Object.entries(qp)) {
        const sm = asObject(v);
        if (sm) checkStringMatch(sm, [...path, 'queryParams', k], `queryParams "${k}"`, { prefixMayBeEmpty: false, starRegexOk: false }, emit);
      }
    }
    checkCommon(m, path, emit);
  }
}

function checkL4(vs: Resource, r: RouteAt, emit: Emit, warn: Warn): void {
  // A tls route without `match` is the CRD's `required` (schema-required-missing); an empty list only the webhook rejects.
  if (r.kind === 'tls' && r.route && Array.isArray(r.route.match) && r.route.match.length === 0) {
    emit(r.path, `The ${r.label} has no match; TLS routes need at least one sniHosts match.`);
  }
  for (const { match: m, path, raw } of matchesOf(r)) {
    if (raw === null) emit(path, `Match #${path[path.length - 1]} of the ${r.label} is empty.`);
    if (!m) continue;
    if (r.kind === 'tls') {
      const sni = m.sniHosts;
      // Missing sniHosts is the CRD's `required` (schema-required-missing).
      if (Array.isArray(sni) && sni.length === 0) emit([...path, 'sniHosts'], `A match of the ${r.label} has an empty sniHosts list.`);
      if (Array.isArray(sni)) {
        sni.forEach((s, i) => {
          if (typeof s !== 'string') return;
          const v = sniHostVerdict(vs, s);
          if (v.error) emit([...path, 'sniHosts', i], `${v.error}.`);
          if (v.warning) warn([...path, 'sniHosts', i], `${v.warning}.`);
        });
      }
    }
    const subnets = m.destinationSubnets;
    if (Array.isArray(subnets)) {
      subnets.forEach((s, i) => {
        if (typeof s === 'string' && !isIPOrCidr(s)) emit([...path, 'destinationSubnets', i], `Destination subnet "${s}" is not an IP address or CIDR block.`);
      });
    }
    checkCommon(m, path, emit);
  }
}

/**
 * Route match conditions the webhook rejects: malformed header names, empty prefixes, regexes RE2 cannot compile,
 * out-of-range ports, bad namespaces/labels, and TLS/TCP matches without SNI hosts or with invalid subnets
 * (HR-07..HR-10, VT-01, VT-03..VT-05, VT-08, VT-10).
 */
export const virtualServiceMatchInvalid: ResourceRule = {
  id: 'virtual-service-match-invalid',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['VirtualService'],
  summary: 'Route match conditions must be well-formed: header names, non-empty prefixes, RE2 regexes, ports, SNI hosts.',
  scope: 'resource',
  check(vs) {
    const out: Finding[] = [];
    const emit: Emit = (path, message, which = 'value') => out.push(finding(this, spanIn(vs, path, which), message));
    const warn: Warn = (path, message) => out.push(webhookWarning(this, spanIn(vs, path), message));
    for (const r of routesOf(vs, 'http')) checkHttp(r, emit);
    // JWT claims exist only where a gateway authenticated the request: the webhook refuses claim routes in a
    // VirtualService that sidecars apply (no gateways, or `mesh` among them), as ValidateVirtualService does.
    const gws = gatewayRefs(vs);
    if (gws.length === 0 || gws.includes('mesh')) {
      for (const r of routesOf(vs, 'http')) {
        for (const { match: m, path } of matchesOf(r)) {
          for (const field of ['headers', 'withoutHeaders'] as const) {
            for (const name of Object.keys(asObject(m?.[field]) ?? {})) {
              if (name.startsWith('@request.auth.claims')) emit([...path, field, name], `Header "${name}" routes on a JWT claim, which only a gateway can do, and this VirtualService applies to sidecars.`, 'key');
            }
          }
        }
      }
    }
    for (const r of routesOf(vs, 'tls')) checkL4(vs, r, emit, warn);
    for (const r of routesOf(vs, 'tcp')) checkL4(vs, r, emit, warn);
    return out;
  },
};
