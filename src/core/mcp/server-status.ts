import type { McpServerStatusInfo, UnwritableFolder } from '../../shared/domain/tool-catalog';
import type { WriteGrantRefusal } from '../sandbox/write-grant-rules';
import { isReadOnly } from '../tools/tool-definition';
import { writtenEnvironmentPaths } from './environment-paths';
import { ignoredApprovalNotes } from './ignored-approval-fields';
import { isStdio, type McpServerConfig } from './mcp-config';
import type { ServerEntry } from './mcp-server-entry';
import { launchFacts, outputTrust } from './output-trust';
import { sharedSecretNotes } from './shared-secret-notes';
import { unknownFieldNotes } from './unknown-server-fields';
import { namedFolders, unwritableFolders } from './unwritable-folders';

/** A running server's state as the Tools & servers page and `portcullis tools` show it. */
export function runningServerStatus(name: string, entry: ServerEntry, refusal: (folder: string) => WriteGrantRefusal | null): McpServerStatusInfo {
  const { connection, namespace, runner } = entry;
  return {
    name,
    transport: isStdio(connection.config) ? 'stdio' : 'http',
    enabled: true,
    state: connection.state,
    error: connection.error,
    ...(connection.state === 'starting' && connection.previousError ? { previousError: connection.previousError } : {}),
    ...(connection.state === 'starting' && connection.startingNote ? { startingNote: connection.startingNote } : {}),
    ...(connection.state === 'connected' && connection.restarts > 0 && connection.lastFailure ? { lastFailure: connection.lastFailure } : {}),
    stderrTail: connection.lastOutput(40),
    toolCount: connection.toolCount,
    offers: connection.state === 'connected' ? connection.offers : [],
    instructions: connection.state === 'connected' ? connection.instructions : null,
    toolPrefix: namespace,
    sandboxed: connection.sandboxed,
    sandboxNote: connection.sandboxNote ?? null,
    sandboxGrants: connection.sandboxGrants,
    refusedHosts: connection.refusedHosts,
    unwritableFolders: unwritableFoldersOf(name, entry, refusal),
    signInUrl: connection.signInUrl,
    signedIn: connection.signedIn,
    breaker: runner.resilience.breakerState,
    breakerRetryAt: runner.resilience.breakerRetryAt,
    restarts: connection.restarts,
    nextRestartAt: connection.nextRestartAt,
    waitingForDomains: connection.waitingFor,
    ignoredApprovals: ignoredApprovalNotes(connection.config),
    // A tool its list held that breaks MCP is left out: said where the entry's other notes are, naming it and why.
    fieldWarnings: [...unknownFieldNotes(connection.config), ...sharedSecretNotes(name, connection.config), ...connection.leftOutTools],
    ...outputTrustFacts(outputTrust(name, connection.config, launchFacts(connection), entry.listed)),
  };
}

/** A server turned off in mcp.json, as the page shows it: its config alone, nothing running. */
export function turnedOffServerStatus(name: string, config: McpServerConfig): McpServerStatusInfo {
  return {
    name, transport: isStdio(config) ? 'stdio' : 'http', enabled: false, state: 'disabled', error: null, stderrTail: '',
    toolCount: 0, offers: [], instructions: null, toolPrefix: name, sandboxed: null, sandboxNote: null, sandboxGrants: null, refusedHosts: [], unwritableFolders: [], signInUrl: null, signedIn: false, breaker: 'closed', breakerRetryAt: null, restarts: 0, nextRestartAt: null,
    ignoredApprovals: ignoredApprovalNotes(config),
    fieldWarnings: [...unknownFieldNotes(config), ...sharedSecretNotes(name, config)],
    ...outputTrustFacts(outputTrust(name, config, { sandboxed: null, offline: null })),
  };
}

/**
 * A sandboxed server's folders it may not write: those its calls were refused writing in, and, for a server with
 * a tool that changes things, those its arguments name (server-filesystem's folders, pasted read-only) and those of
 * the files its env names (server-memory's MEMORY_FILE_PATH).
 */
function unwritableFoldersOf(name: string, { connection, tools }: ServerEntry, refusal: (folder: string) => WriteGrantRefusal | null): UnwritableFolder[] {
  const grants = connection.sandboxGrants;
  if (!connection.sandboxed || !grants) return [];
  const writes = [...tools.values()].some((tool) => !isReadOnly(tool));
  const stdio = writes && isStdio(connection.config) ? connection.config : null;
  const named = stdio ? namedFolders(stdio.args) : [];
  const environment = stdio ? writtenEnvironmentPaths(stdio.env) : [];
  return unwritableFolders({ server: name, refused: connection.refusedWriteFolders, named, environment, grants, refusal });
}

/** As the status says it: whether its output is trusted, and why a `"trustedOutput": true` is not used. */
function outputTrustFacts(trust: { trusted: boolean; note: string | null }): Pick<McpServerStatusInfo, 'outputTrusted' | 'outputTrustNote'> {
  return { outputTrusted: trust.trusted, outputTrustNote: trust.note };
}
