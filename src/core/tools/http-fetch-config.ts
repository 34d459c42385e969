import { isIP } from 'node:net';
import { z } from 'zod';
import { readJsonConfig } from '../config/read-json-config';
import { localHostProblem } from './local-host-names';

/** `example.com` (exactly) or `*.example.com` (its subdomains), as http-fetch.json has always taken them. */
const DOMAIN_PATTERN = /^(\*\.)?[a-z0-9.-]+$/i;
const DOMAIN_WORDS = 'a domain like example.com or *.example.com';

const HttpFetchFileSchema = z.object({
  allowedDomains: z.array(z.string().regex(DOMAIN_PATTERN, DOMAIN_WORDS)).default([]),
  maxBytes: z.number().int().positive().max(50 * 1024 * 1024).optional(),
  timeoutMs: z.number().int().positive().max(300_000).optional(),
});
export type HttpFetchFile = z.infer<typeof HttpFetchFileSchema>;

/**
 * Reads `<dataDir>/http-fetch.json`. Missing means no domain is allowed; a broken file is reported, never thrown.
 * An entry http.fetch never reaches (an address, localhost, a local-network name) is left out with a `warning`
 * naming it, the rest of the list still allowed: the file loads, and the person learns why that entry does nothing.
 */
export function loadHttpFetchConfig(file: string): { config: HttpFetchFile; problem: string | null; warning: string | null } {
  const none = { allowedDomains: [] };
  const read = readJsonConfig(file);
  if (!read) return { config: none, problem: null, warning: null };
  if (!read.ok) return { config: none, problem: `${file} is not valid JSON (${read.why}); http.fetch allows no domain until it is fixed.`, warning: null };
  const parsed = HttpFetchFileSchema.safeParse(read.json);
  if (parsed.success) return leaveOutUnreachable(file, parsed.data);
  return { config: none, problem: `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}; http.fetch allows no domain until it is fixed.`, warning: null };
}

function leaveOutUnreachable(file: string, config: HttpFetchFile): { config: HttpFetchFile; problem: null; warning: string | null } {
  const why = config.allowedDomains.map((domain) => [domain, unreachableProblem(domain)] as const).filter((entry): entry is readonly [string, string] => entry[1] !== null);
  if (why.length === 0) return { config, problem: null, warning: null };
  const leftOut = new Set(why.map(([domain]) => domain));
  return {
    config: { ...config, allowedDomains: config.allowedDomains.filter((domain) => !leftOut.has(domain)) },
    problem: null,
    warning: `${file}: ${why.map(([domain, problem]) => `"${domain}" in allowedDomains is left out: ${problem}`).join(' ')} Take ${why.length === 1 ? 'it' : 'them'} out of the file.`,
  };
}

/** Why http.fetch never reaches what the entry names, whatever the allowlist says: an address, or a local name. */
function unreachableProblem(domain: string): string | null {
  const bare = domain.trim().replace(/^\*\./, '');
  return isIP(bare) ? addressProblem(bare) : localHostProblem(domain);
}

/**
 * Why `typed` cannot be added to the allowlist as it is, or null. The file's own rule, and what a person pastes
 * from the address bar said back to them: a URL names its host to type instead, and an address or a local name
 * (localhost, *.local) is refused since http.fetch never reaches one (a public domain is what the allowlist trusts).
 */
export function allowedDomainProblem(typed: string): string | null {
  const text = typed.trim();
  if (text === '') return `Type ${DOMAIN_WORDS}.`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || /[/?#@\s]/.test(text)) {
    const host = hostOf(text);
    return host && !isIP(host) ? `Type the domain alone: ${host}, without "https://" or a path.` : `"${text}" is not ${DOMAIN_WORDS}: type the domain alone, without "https://" or a path.`;
  }
  const bare = text.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return addressProblem(bare);
  if (text.includes(':')) {
    const host = text.slice(0, text.indexOf(':'));
    return isIP(host) ? addressProblem(host) : `Type the domain alone, without a port: ${host}.`;
  }
  const labels = text.replace(/^\*\./, '').split('.');
  if (!DOMAIN_PATTERN.test(text) || text.length > 253 || labels.some((label) => label === '' || label.length > 63 || label.startsWith('-') || label.endsWith('-'))) {
    return `"${text}" is not ${DOMAIN_WORDS}.`;
  }
  return localHostProblem(text);
}

/** Why an IP address on the allowlist lets nothing through. */
function addressProblem(address: string): string {
  return `${address} is an IP address; http.fetch reaches domain names only, never addresses.`;
}

function hostOf(text: string): string | null {
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`).hostname.replace(/^\[|\]$/g, '') || null;
  } catch {
    return null;
  }
}
