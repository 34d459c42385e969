import { isStdio, type McpServerConfig } from './mcp-config';

export interface OutputTrust {
  /** Its tools' output does not taint for being a server's words (`"trustedOutput": true` on a sandboxed stdio server). */
  trusted: boolean;
  /** Why a `"trustedOutput": true` is not used, for its row; null when it is, or when the field is not set. */
  note: string | null;
}

const STILL_TAINTS = "its tools' output still marks the conversation as holding untrusted content";

/**
 * Whether the person's `"trustedOutput": true` holds for a server. Only for one that runs under Portcullis' OS
 * sandbox with no domain granted: there, what it says is its own code's words about your computer. One granted a
 * domain may pass on text from there (an issue anyone wrote), whatever its tools' annotations claim. A remote server's words come from a machine Portcullis
 * does not see, and an unsandboxed one (`"sandbox": false`, a container, no sandbox on this computer) may fetch
 * them from anywhere: there the field is ignored, not refused, so the server still runs, tainting as before, and
 * its row says why. `sandboxed` is null until a launch was planned.
 */
export function outputTrust(name: string, config: McpServerConfig, sandboxed: boolean | null): OutputTrust {
  if (!config.trustedOutput) return { trusted: false, note: null };
  if (!isStdio(config)) {
    return { trusted: false, note: `"trustedOutput" is not used for a remote server: ${name}'s words come from a computer Portcullis does not control, so ${STILL_TAINTS}.` };
  }
  if (sandboxed === false) {
    return { trusted: false, note: `"trustedOutput" is not used: ${name} runs outside Portcullis' sandbox, so what it says could come from anywhere, and ${STILL_TAINTS}.` };
  }
  const domains = config.sandbox === false ? [] : config.sandbox.allowedDomains;
  if (domains.length > 0) {
    return { trusted: false, note: `"trustedOutput" is not used while ${name} may reach ${domains.join(', ')}: what it says could be text from there (an issue anyone wrote, a page), so ${STILL_TAINTS}.` };
  }
  return { trusted: sandboxed === true, note: null };
}
