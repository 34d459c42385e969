/**
 * Names that by standard point at this computer or the local network: `localhost` and `*.localhost` (RFC 6761),
 * `localhost.localdomain`, `.local` (mDNS, RFC 6762), `.home.arpa` (RFC 8375) and `.internal` (ICANN's private
 * use). http.fetch never reaches loopback or private addresses, so such a name on its allowlist lets nothing
 * through: it is refused where the list is edited, and said so when a call names one.
 */
const LOCAL_SUFFIXES: readonly { suffix: string; words: string }[] = [
  { suffix: 'localhost', words: 'names this computer' },
  { suffix: 'localhost.localdomain', words: 'names this computer' },
  { suffix: 'local', words: 'is a local-network name (.local)' },
  { suffix: 'home.arpa', words: 'is a home-network name (.home.arpa)' },
  { suffix: 'internal', words: 'is a private-network name (.internal)' },
];

const NEVER_REACHED = 'http.fetch never reaches this computer or the local network (their addresses are refused, so a page or a model cannot reach the services inside)';

/** What `host` (a name or a `*.` pattern) names when it is a local one ("names this computer"), or null. */
function localWords(host: string): string | null {
  const bare = host.trim().toLowerCase().replace(/\.$/, '').replace(/^\*\./, '');
  return LOCAL_SUFFIXES.find(({ suffix }) => bare === suffix || bare.endsWith(`.${suffix}`))?.words ?? null;
}

/** Why an allowlist entry naming a local host would let nothing through, or null. */
export function localHostProblem(entry: string): string | null {
  const words = localWords(entry);
  return words ? `${entry.trim().toLowerCase()} ${words}; ${NEVER_REACHED}, so it would let nothing through.` : null;
}

/** Why a call to a local host is refused, for a host off the allowlist (no entry can let it through), or null. */
export function localHostRefusal(host: string, via: string): string | null {
  const words = localWords(host);
  return words ? `${host} (from ${via}) ${words}; ${NEVER_REACHED}.` : null;
}
