import type { ToolAnnotations } from '../../shared/domain/tool-call';
import { isInside, resolvePathArgument } from '../policy/matchers/resolve-path';
import { urlHost } from '../policy/matchers/url-host';

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
const PATH_KEYS = /^(path|paths|file|files|filename|source)$/i;

/**
 * Plain words for why a tool's output is untrusted content, or null when it is not: output of open-world
 * tools (MCP's default when a tool says nothing), web fetches (any URL argument), and files read from
 * outside the trusted folders (after resolving `..` and symlinks).
 */
export function taintOf(call: ObservedCall, trustedRoots: readonly string[], workspace: string): string | null {
  if (call.untrustedSource) return call.untrustedSource;
  const urls = Object.entries(call.arguments).filter(([key, value]) => URL_KEYS.test(key) && typeof value === 'string');
  if (urls.length > 0) {
    const hosts = urls.map(([, value]) => urlHost(value as string) ?? String(value).slice(0, 80));
    return `web content from ${[...new Set(hosts)].join(', ')} (via ${call.toolName})`;
  }
  const source = `output of ${call.toolName}${call.server && call.server !== 'builtin' ? ` on ${call.server}` : ''}`;
  if (call.annotations.openWorldHint !== false && !call.offline) return `${source}, a tool that reaches outside your computer`;
  // A tool that says it stays local (a filesystem server's list_directory) is still a server's words, not the person's.
  if (call.untrusted) return `${source}, a server Portcullis does not control`;
  for (const [key, value] of Object.entries(call.arguments)) {
    if (!PATH_KEYS.test(key)) continue;
    for (const path of Array.isArray(value) ? value : [value]) {
      if (typeof path !== 'string' || path === '') continue;
      const resolved = resolvePathArgument(path, workspace);
      const trusted = trustedRoots.some((root) => {
        const r = resolvePathArgument(root, workspace);
        return isInside(resolved.real, r.real, false) && (isInside(resolved.lexical, r.lexical, false) || isInside(resolved.lexical, r.real, false));
      });
      if (!trusted) return `a file outside the trusted folders: ${resolved.real} (via ${call.toolName})`;
    }
  }
  return null;
}
