/**
 * Host name matching as TLS clients do it (RFC 6125 §6.4.3, as browsers and Go implement it): case-insensitive,
 * a trailing dot ignored, and a wildcard only as the whole left-most label, matching exactly one label. Partial
 * wildcards (`f*.example.com`) are not honoured: modern clients reject them.
 */
function norm(h: string): string {
  return h.toLowerCase().replace(/\.$/, '');
}

/** Does the certificate name `pattern` (a SAN dNSName) cover the concrete host name `host`? */
export function sanMatchesHost(pattern: string, host: string): boolean {
  const p = norm(pattern);
  const h = norm(host);
  if (!p.includes('*')) return p === h;
  if (!p.startsWith('*.') || p.indexOf('*', 1) >= 0) return false;
  const suffix = p.slice(1); // ".example.com"
  // A wildcard needs at least two labels after it, so "*.com" never matches.
  if (suffix.split('.').length < 3) return false;
  if (!h.endsWith(suffix)) return false;
  const first = h.slice(0, h.length - suffix.length);
  return first.length > 0 && !first.includes('.');
}

/**
 * Does the certificate cover a Gateway `hosts` entry? A Gateway wildcard (`*.example.com`) admits any one-label
 * subdomain, so only the same wildcard SAN covers all of it. Returns undefined for hosts no certificate can cover
 * meaningfully (`*`, a bare namespace selector).
 */
export function sansCoverGatewayHost(dnsNames: readonly string[], ipAddresses: readonly string[], gatewayHost: string): boolean | undefined {
  // Gateway hosts may carry a namespace prefix: "ns/host".
  const host = gatewayHost.includes('/') ? gatewayHost.slice(gatewayHost.indexOf('/') + 1) : gatewayHost;
  if (host === '*' || host === '') return undefined;
  if (/^[0-9.]+$/.test(host) || host.includes(':')) return ipAddresses.includes(host);
  if (dnsNames.length > INDEX_FROM) return sanIndex(dnsNames).covers(host);
  if (host.startsWith('*')) {
    const h = norm(host);
    return dnsNames.some((n) => norm(n) === h);
  }
  return dnsNames.some((n) => sanMatchesHost(n, host));
}

/**
 * Past a few SANs the names are indexed, once per SAN list: a certificate with 20,000 SANs on a Gateway with 1,500
 * hosts was 30 million comparisons. Same answers as sanMatchesHost, by lookups: the exact names, and for wildcard SANs
 * the suffix after the `*`.
 */
const INDEX_FROM = 16;

interface SanIndex {
  covers(host: string): boolean;
}

const sanIndexes = new WeakMap<readonly string[], SanIndex>();

function sanIndex(dnsNames: readonly string[]): SanIndex {
  const hit = sanIndexes.get(dnsNames);
  if (hit) return hit;
  const all = new Set<string>();
  const exact = new Set<string>();
  const wildcardSuffixes = new Set<string>();
  for (const n of dnsNames) {
    const p = norm(n);
    all.add(p);
    if (!p.includes('*')) exact.add(p);
    else if (p.startsWith('*.') && p.indexOf('*', 1) < 0 && p.split('.').length >= 3) wildcardSuffixes.add(p.slice(1));
  }
  const index: SanIndex = {
    covers(host) {
      const h = norm(host);
      // A Gateway wildcard is covered only by the same wildcard SAN.
      if (host.startsWith('*')) return all.has(h);
      if (exact.has(h)) return true;
      const dot = h.indexOf('.');
      return dot > 0 && wildcardSuffixes.has(h.slice(dot));
    },
  };
  sanIndexes.set(dnsNames, index);
  return index;
}

/** A list for a message: the first `max` entries, then how many more there are. */
export function listExcerpt(items: readonly string[], max = 10): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')}, … and ${(items.length - max).toLocaleString('en-US')} more`;
}
