import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { SandboxGrants } from '../../shared/domain/tool-catalog';
import { isStdio, type McpServerConfig } from './mcp-config';

export interface OutputTrust {
  /** Its tools' output does not taint for being a server's words (`"trustedOutput": true` on a closed server). */
  trusted: boolean;
  /**
   * Why a `"trustedOutput": true` is not used, for its row: for the whole server, or (with `trusted`) for those of
   * its tools that say they reach outside the computer. Null when it holds for all, or when the field is not set.
   */
  note: string | null;
}

/** Its launch as it was planned; both null until then (a server turned off, one not yet started). */
export interface LaunchFacts {
  sandboxed: boolean | null;
  /** Its sandbox lets it reach nothing outside this computer (`SandboxGrants.offline`). */
  offline: boolean | null;
}

/** What a server's last launch planned (its connection's sandbox and grants), as `outputTrust` reads it. */
export function launchFacts(launched: { sandboxed: boolean | null; sandboxGrants: Pick<SandboxGrants, 'offline'> | null }): LaunchFacts {
  return { sandboxed: launched.sandboxed, offline: launched.sandboxGrants ? launched.sandboxGrants.offline : null };
}

const STILL_TAINTS = "its tools' output still marks the conversation as holding untrusted content";
/** Enough tool names for one line; the rest are counted. */
const MAX_NAMED_TOOLS = 5;

/**
 * A tool that says it reaches outside the computer (`openWorldHint: true`): what it returns may be text from there
 * whatever its sandbox lets it reach now (a cache, a file it fetched before), so a trusted server's flag skips it.
 * One that says nothing is taken at its server's word: offline, it reaches nothing.
 */
export function saysItReachesOut(tool: Pick<Tool, 'annotations'>): boolean {
  return tool.annotations?.openWorldHint === true;
}

/**
 * Whether the person's `"trustedOutput": true` holds for a server. Only for one that is closed: run under
 * Portcullis' OS sandbox with no domain granted and local daemons' sockets refused (offline). There, what it says is
 * its own code's words about your computer. One granted a domain may pass on text from there (an issue anyone wrote),
 * whatever its tools' annotations claim. A remote server's words come from a machine Portcullis does not see, and an
 * unsandboxed one (`"sandbox": false`, a container, no sandbox on this computer) may fetch them from anywhere: there
 * the field is ignored, not refused, so the server still runs, tainting as before, and its row says why. Where it
 * holds, `listed` tools that say they reach out keep tainting, and the note names them.
 */
export function outputTrust(name: string, config: McpServerConfig, launch: LaunchFacts, listed: readonly Tool[] = []): OutputTrust {
  if (!config.trustedOutput) return { trusted: false, note: null };
  if (!isStdio(config)) {
    return { trusted: false, note: `"trustedOutput" is not used for a remote server: ${name}'s words come from a computer Portcullis does not control, so ${STILL_TAINTS}.` };
  }
  if (launch.sandboxed === false) {
    return { trusted: false, note: `"trustedOutput" is not used: ${name} runs outside Portcullis' sandbox, so what it says could come from anywhere, and ${STILL_TAINTS}.` };
  }
  const domains = config.sandbox === false ? [] : config.sandbox.allowedDomains;
  if (domains.length > 0) {
    return { trusted: false, note: `"trustedOutput" is not used while ${name} may reach ${domains.join(', ')}: what it says could be text from there (an issue anyone wrote, a page), so ${STILL_TAINTS}.` };
  }
  if (launch.sandboxed === null) return { trusted: false, note: null };
  if (launch.offline !== true) {
    return { trusted: false, note: `"trustedOutput" is not used: this computer's sandbox cannot keep ${name} from local services' sockets (an SSH agent, Docker), through which what it says could come from elsewhere, so ${STILL_TAINTS}.` };
  }
  const reachingOut = listed.filter(saysItReachesOut).map((tool) => tool.name);
  if (reachingOut.length === 0) return { trusted: true, note: null };
  const named = reachingOut.slice(0, MAX_NAMED_TOOLS).join(', ') + (reachingOut.length > MAX_NAMED_TOOLS ? ` and ${reachingOut.length - MAX_NAMED_TOOLS} more` : '');
  const one = reachingOut.length === 1;
  const says = one ? 'it says it reaches outside your computer (openWorldHint): what it returns could be text from there, so its' : 'they say they reach outside your computer (openWorldHint): what they return could be text from there, so their';
  return { trusted: true, note: `"trustedOutput" is not used for ${named}: ${says} output still marks the conversation as holding untrusted content.` };
}
