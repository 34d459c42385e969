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

export function terminalMayCall(principal: Pick<Principal, 'kind'>, channel: unknown): boolean {
  return principal.kind === 'terminal' && TERMINAL_CHANNELS.has(channel as RequestChannel);
}
