import type { McpServerStatusInfo } from '../../shared/domain/tool-catalog';

/** Said in place of a server's own error: that text quotes its stderr, command and paths, which are the person's. */
const FAILED_WITHOUT_DETAIL = 'It is not running; why is shown to the person on the Tools & servers page.';

/**
 * A server as a key with the tools scope alone reads it (limited to certain tools or not): whether its tools can be
 * called now (state, breaker, restarts) and how to use them (prefix, offers, instructions), nothing of the machine it
 * runs on. Its sandbox's grants, the folders it may not write, the hosts it was refused, its stderr and error, the
 * notes on its mcp.json entry all name paths, commands and fields of the person's setup. Every field is listed, so a
 * field added to the status is left out here until someone decides such a key needs it.
 */
export function serverAsToolsKeySees(server: McpServerStatusInfo, toolCount: number): McpServerStatusInfo {
  return {
    name: server.name,
    transport: server.transport,
    enabled: server.enabled,
    state: server.state,
    error: server.error === null ? null : FAILED_WITHOUT_DETAIL,
    stderrTail: '',
    toolCount,
    offers: server.offers,
    instructions: server.instructions,
    toolPrefix: server.toolPrefix,
    sandboxed: server.sandboxed,
    sandboxNote: null,
    sandboxGrants: null,
    refusedHosts: [],
    unwritableFolders: [],
    signInUrl: null,
    signedIn: server.signedIn,
    breaker: server.breaker,
    breakerRetryAt: server.breakerRetryAt,
    restarts: server.restarts,
    nextRestartAt: server.nextRestartAt,
    outputTrusted: server.outputTrusted,
    outputTrustNote: null,
    ignoredApprovals: [],
    fieldWarnings: [],
  };
}
