import type { RequestChannel } from '../../shared/api/channels';
import type { Principal } from './scopes';

/**
 * What a `portcullis` command may ask the running app (the `terminal` principal) beyond its `chat` scope: each is what
 * the same command does alone on the data folder, and whoever can read terminal-access.json can run it so. Through the
 * app it takes effect there at once, without a second copy of a server. Never an approval's answer, nor the rest of admin.
 */
const TERMINAL_CHANNELS: ReadonlySet<RequestChannel> = new Set<RequestChannel>([
  // `policy explain`: judged with the app's servers, workspace and rules.
  'policy.explain',
  // `tools approve|reject`: the person's decision on a changed definition, typed in their terminal.
  'tools.approveChange',
  'tools.rejectChange',
  // `tools import [APP]`: adds other apps' servers to mcp.json, as the command alone writes it.
  'tools.importSources',
  'tools.importServers',
]);

/**
 * One action of a channel the rest of which stays admin's: `tools keep-stopped SERVER`, the row's "Keep it stopped" for a
 * server waiting for the person's decision on a host (tools.controlServer's decline). It only keeps a server from
 * starting, a refusal as `tools reject` is; restart, turning on or off and signing out stay the app's. Read from the
 * input as sent, before it is parsed: the handler's strict schema then takes the same value or refuses it.
 */
const TERMINAL_ACTIONS: Partial<Record<RequestChannel, (input: unknown) => boolean>> = {
  'tools.controlServer': (input) => typeof input === 'object' && input !== null && (input as { action?: unknown }).action === 'decline',
};

export function terminalMayCall(principal: Pick<Principal, 'kind'>, channel: unknown, input?: unknown): boolean {
  if (principal.kind !== 'terminal') return false;
  return TERMINAL_CHANNELS.has(channel as RequestChannel) || TERMINAL_ACTIONS[channel as RequestChannel]?.(input) === true;
}
