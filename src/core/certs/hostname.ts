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
  if (host.startsWith('*')) {
    const h = norm(host);
    return dnsNames.some((n) => norm(n) === h);
  }
  return dnsNames.some((n) => sanMatchesHost(n, host));
}
