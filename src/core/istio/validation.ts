// Pure value checks that mirror the shared validators of Istio's validating webhook (host names, labels,
// selectors, exportTo, IPs). They return a short reason or undefined, never throw, and accept `unknown` so rules can
// hand them whatever the YAML held: schema problems are reported elsewhere, these checks only must not crash on them.
import { isObject, type Json, type JsonObject } from './resource';

/** Istio's label regex accepts upper case (unlike Kubernetes'), so a mixed-case host label is not an error. */
const DNS1123_LABEL = /^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const ALL_DIGITS = /^[0-9]+$/;
const IPV4 = /^(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;
/** Kubernetes label names (the part after an optional DNS-subdomain prefix) and values. */
const LABEL_NAME = /^[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;

export function asObject(v: unknown): JsonObject | undefined {
  return isObject(v) ? v : undefined;
}

export function asArray(v: unknown): Json[] | undefined {
  return Array.isArray(v) ? (v as Json[]) : undefined;
}

export function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Go's "is set" for a proto field: a non-empty string or list, an object, a non-zero number or true. */
export function isSet(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === '' || v === 0) return false;
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

/** A value as Istio prints it in a message; objects and lists are abbreviated so a message stays one line. */
export function show(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  return Array.isArray(v) ? '[…]' : '{…}';
}

export function isDns1123Label(s: string): boolean {
  return s.length <= 63 && DNS1123_LABEL.test(s);
}

export function isIPv4(s: string): boolean {
  return IPV4.test(s);
}

/** RFC 4291 text form, with an optional trailing dotted IPv4 and zone, as Go's netip.ParseAddr accepts it. */
export function isIPv6(s: string): boolean {
  const pct = s.indexOf('%');
  const addr = pct >= 0 ? s.slice(0, pct) : s;
  if (pct >= 0 && pct === s.length - 1) return false;
  if (!addr.includes(':')) return false;
  const halves = addr.split('::');
  if (halves.length > 2) return false;
  let groups = 0;
  for (let h = 0; h < halves.length; h++) {
    if (halves[h] === '') continue;
    const parts = halves[h].split(':');
    for (let i = 0; i < parts.length; i++) {
      const last = h === halves.length - 1 && i === parts.length - 1;
      if (last && parts[i].includes('.')) {
        if (!isIPv4(parts[i])) return false;
        groups += 2;
      } else if (HEX_GROUP.test(parts[i])) {
        groups += 1;
      } else {
        return false;
      }
    }
  }
  return halves.length === 2 ? groups <= 7 : groups === 8;
}

export function isIP(s: string): boolean {
  return isIPv4(s) || isIPv6(s);
}

/** An IP address or an IP/prefix CIDR block. */
export function isIPOrCidr(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return isIP(s);
  const ip = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  if (!ALL_DIGITS.test(bits) || bits.length > 3) return false;
  const n = Number(bits);
  if (isIPv4(ip)) return n <= 32;
  return isIPv6(ip) && !ip.includes('%') && n <= 128;
}

/**
 * Istio's HOST-WILDCARD check (agent.ValidateWildcardDomain): only the first label may hold a wildcard, the rest
 * are DNS labels, the top-level domain is not all digits. Returns the reason or undefined.
 */
export function wildcardDomainProblem(domain: string): string | undefined {
  if (domain === '') return 'it is empty';
  if (domain.length > 255) return 'it is longer than 255 characters';
  const dot = domain.indexOf('.');
  const first = dot < 0 ? domain : domain.slice(0, dot);
  if (first !== '*') {
    const rest = first.startsWith('*') ? first.slice(1) : first;
    // `*foo` and `*-foo` are accepted here; `*-foo` only needs its tail to read like a label.
    const tail = rest.startsWith('-') ? `a${rest}` : rest;
    if (!isDns1123Label(tail)) return `label "${first}" is not a valid DNS label`;
  }
  if (dot < 0) return undefined;
  const labels = domain.slice(dot + 1).split('.');
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    // A trailing dot (fully qualified form) leaves one empty last label, which Istio accepts.
    if (l === '' && i === labels.length - 1) continue;
    if (!isDns1123Label(l)) return `label "${l}" is not a valid DNS label`;
  }
  const tld = labels[labels.length - 1] === '' ? labels[labels.length - 2] : labels[labels.length - 1];
  if (tld !== undefined && ALL_DIGITS.test(tld)) return `the top-level domain "${tld}" is all digits`;
  return undefined;
}

/**
 * agent.ValidateWildcardDomainForVirtualServiceBoundToGateway with `sni` set: for a gateway-bound VirtualService with
 * TLS sniHosts, Istio also accepts the SNI names it generates itself (`outbound_.15010_._.istiod.istio-system.svc…`).
 * Its test is loose (a first label of exactly `outbound_` and `outbound_` followed by any character and a digit 0-8
 * somewhere), and mirroring it keeps meshtls from refusing what Istio takes.
 */
export function isIstioAutoSniName(domain: string): boolean {
  const dot = domain.indexOf('.');
  return (dot < 0 ? domain : domain.slice(0, dot)) === 'outbound_' && /outbound_.[0-8]/.test(domain);
}

/** Istio's HOST-GATEWAY check for Gateway `servers[].hosts` entries (`[ns/]dnsName`). */
export function gatewayHostProblem(host: string): string | undefined {
  let dnsName = host;
  const slash = host.indexOf('/');
  if (slash >= 0) {
    const ns = host.slice(0, slash);
    dnsName = host.slice(slash + 1);
    if (ns === '' || dnsName === '') return 'the namespace and the host name must both be non-empty';
    if (ns !== '*' && ns !== '.' && !isDns1123Label(ns)) return `the namespace "${ns}" is not ".", "*" or a valid namespace name`;
  }
  if (dnsName === '*') return undefined;
  if (!dnsName.includes('.')) return 'short names are not allowed, use a fully qualified name or "*"';
  // Istio checks the domain syntax first, but both verdicts are errors; naming the partial wildcard reads better.
  if (dnsName.includes('*') && !dnsName.startsWith('*.')) return 'partial wildcards are not allowed, only a leading "*." label';
  return isIP(dnsName) ? undefined : wildcardDomainProblem(dnsName);
}

/** A well-formed Kubernetes label key: optional DNS-subdomain prefix and `/`, then a name of at most 63 chars. */
export function isLabelKey(k: string): boolean {
  const slash = k.indexOf('/');
  const name = slash >= 0 ? k.slice(slash + 1) : k;
  if (slash >= 0) {
    const prefix = k.slice(0, slash);
    if (prefix === '' || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) return false;
  }
  return name.length > 0 && name.length <= 63 && LABEL_NAME.test(name);
}

export function isLabelValue(v: string): boolean {
  return v === '' || (v.length <= 63 && LABEL_NAME.test(v));
}

export interface ExportToProblem {
  index: number;
  message: string;
  /** Index of the earlier entry a duplicate repeats. */
  firstIndex?: number;
}

/** Istio's EXPORTTO check for VirtualService and DestinationRule. */
export function exportToProblems(entries: Json[], namespace: string): ExportToProblem[] {
  const out: ExportToProblem[] = [];
  const seen = new Map<string, number>();
  let publicAt = -1;
  let otherAt = -1;
  entries.forEach((e, index) => {
    if (typeof e !== 'string') return;
    if (e === '~') {
      out.push({ index, message: 'exportTo "~" (export to no namespace) is not allowed on Istio configuration.' });
      return;
    }
    if (e !== '.' && e !== '*' && !isDns1123Label(e)) {
      out.push({ index, message: `exportTo entry "${e}" is not ".", "*" or a valid namespace name.` });
      return;
    }
    // "." means the resource's own namespace, so naming that namespace as well is a duplicate.
    const key = e === '.' ? namespace : e;
    const first = seen.get(key);
    if (first !== undefined) out.push({ index, firstIndex: first, message: `exportTo entry "${e}" repeats an earlier entry.` });
    else seen.set(key, index);
    if (e === '*') publicAt = publicAt < 0 ? index : publicAt;
    else otherAt = otherAt < 0 ? index : otherAt;
  });
  if (publicAt >= 0 && otherAt >= 0) {
    const index = Math.max(publicAt, otherAt);
    out.push({ index, firstIndex: Math.min(publicAt, otherAt), message: `exportTo mixes "*" (all namespaces) with specific namespaces.` });
  }
  return out;
}

/** Stable text for a plain value with sorted keys, so two matches compare equal whatever their key order. */
export function canonicalJson(v: unknown, skipKey?: string): string {
  if (Array.isArray(v)) return `[${v.map((x) => canonicalJson(x)).join(',')}]`;
  if (isObject(v)) {
    const keys = Object.keys(v)
      .filter((k) => k !== skipKey)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/**
 * The bound Istio's CRDs give port numbers (uint32). Below 0 or above it the CRD's own range check
 * (schema-value-out-of-range) reports the value, so the webhook-mirroring port rules only report 1..65535 misses
 * inside it.
 */
export const UINT32_MAX = 4294967295;

