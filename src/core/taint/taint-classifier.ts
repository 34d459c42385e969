import type { ToolAnnotations } from '../../shared/domain/tool-call';
import { webAddressesIn } from '../../shared/web-address';
import { readFileUri } from '../policy/matchers/file-uri';
import { isInside, resolvePathArgument } from '../policy/matchers/resolve-path';
import { urlHost } from '../policy/matchers/url-host';
import { PATH_ARGUMENT_NAMES } from '../policy/path-argument-names';

export interface ObservedCall {
  toolName: string;
  annotations: ToolAnnotations;
  /** Its sandbox lets it reach nothing outside this computer: its output is a server's words, not the web's. */
  offline?: boolean;
  server?: string;
  arguments: Record<string, unknown>;
  /** Set by runners whose output is untrusted whatever the annotations say (MCP over HTTP, web fetch). */
  untrusted?: boolean;
  /** The runner's words for why its output is untrusted, which then stand as the reason. */
  untrustedSource?: string;
}

const URL_KEYS = /^(url|uri|href|endpoint)$/i;
const PATH_KEYS = new Set<string>(PATH_ARGUMENT_NAMES);
/** Enough hosts to name in a taint's words; any one taints. */
const MAX_NAMED_HOSTS = 5;

/**
 * Plain words for why a tool's output is untrusted content, or null when it is not: output of open-world
 * tools (MCP's default when a tool says nothing), web fetches (any argument that is an http(s) address, whatever
 * it is called, as the approval dialog names them; anything in a URL-named argument but a `file:` URI), and
 * files read from outside the trusted folders (after resolving `..` and symlinks), under the names the shipped
 * policy's path rules use (a `file:` URI as the path it names).
 */
export function taintOf(call: ObservedCall, trustedRoots: readonly string[], workspace: string): string | null {
  if (call.untrustedSource) return call.untrustedSource;
  const named = Object.entries(call.arguments).filter(([key, value]) => URL_KEYS.test(key) && typeof value === 'string' && readFileUri(value).kind !== 'path');
  const hosts = [
    ...webAddressesIn(call.arguments, MAX_NAMED_HOSTS).map(({ url }) => urlHost(url.href) ?? url.href.slice(0, 80)),
    ...named.map(([, value]) => urlHost(value as string) ?? String(value).slice(0, 80)),
  ];
  if (hosts.length > 0) return `web content from ${[...new Set(hosts)].join(', ')} (via ${call.toolName})`;
  const source = `output of ${call.toolName}${call.server && call.server !== 'builtin' ? ` on ${call.server}` : ''}`;
  if (call.annotations.openWorldHint !== false && !call.offline) return `${source}, a tool that reaches outside your computer`;
  // A tool that says it stays local (a filesystem server's list_directory) is still a server's words, not the person's.
  if (call.untrusted) return `${source}, a server Portcullis does not control`;
  for (const [key, value] of Object.entries(call.arguments)) {
    if (!PATH_KEYS.has(key.toLowerCase())) continue;
    for (const path of Array.isArray(value) ? value : [value]) {
      if (typeof path !== 'string' || path === '') continue;
      for (const reading of pathReadings(key, path)) {
        const resolved = resolvePathArgument(reading, workspace);
        const trusted = trustedRoots.some((root) => {
          const r = resolvePathArgument(root, workspace);
          return isInside(resolved.real, r.real, false) && (isInside(resolved.lexical, r.lexical, false) || isInside(resolved.lexical, r.real, false));
        });
        if (!trusted) return `a file outside the trusted folders: ${resolved.real} (via ${call.toolName})`;
      }
    }
  }
  return null;
}

/**
 * The paths a path argument may name, as the policy reads it: a `file:` URI as its path (and, but for a `uri`, as
 * written too); anything else in `uri` as none (a server's own address, or one the URL-named check took as web
 * content already); anything else as written.
 */
function pathReadings(key: string, value: string): string[] {
  const uri = readFileUri(value);
  const isUri = key.toLowerCase() === 'uri';
  if (uri.kind === 'path') return isUri ? [uri.path] : [value, uri.path];
  return isUri ? [] : [value];
}
