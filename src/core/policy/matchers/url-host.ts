import { domainToASCII } from 'node:url';

/**
 * The host a URL really reaches, as WHATWG URL parsing sees it: userinfo (`good.com@evil.com`) dropped, IDN in
 * punycode, IPv4 in any notation (`0x7f.1`) made dotted-decimal, a trailing dot removed. Null when unparsable.
 */
export function urlHost(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if (!url.hostname) return null;
  return url.hostname.replace(/\.$/, '').toLowerCase();
}

export function isIpLiteral(host: string): boolean {
  return host.startsWith('[') || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
}

/** A domain pattern in the same form as `urlHost`: punycode, lower case; `*.` keeps its meaning. */
export function normalizeDomainPattern(pattern: string): string {
  const wildcard = pattern.startsWith('*.');
  const bare = (wildcard ? pattern.slice(2) : pattern).replace(/\.$/, '');
  const ascii = domainToASCII(bare) || bare.toLowerCase();
  return (wildcard ? '*.' : '') + ascii;
}

/** `example.com` matches only itself; `*.example.com` matches it and every subdomain. IP literals match exactly. */
export function hostMatches(host: string, patterns: readonly string[]): boolean {
  for (const pattern of patterns) {
    if (pattern.startsWith('*.')) {
      const base = pattern.slice(2);
      if (host === base || host.endsWith('.' + base)) return true;
    } else if (host === pattern) {
      return true;
    }
  }
  return false;
}
