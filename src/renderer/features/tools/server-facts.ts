import type { McpServerStatusInfo } from '../../../shared/domain/tool-catalog';
import { serverToolCount } from '../../../shared/server-tool-count';
import { waitingForDomains } from '../../../shared/waiting-for-domains';

const STATE_WORDS: Record<McpServerStatusInfo['state'], string> = {
  starting: 'Starting…',
  connected: 'Connected',
  failed: 'Failed',
  stopped: 'Stopped',
  disabled: 'Disabled',
};

/**
 * What a server's row says after its name: "Connected · 1 tool, 1 held back · sandboxed", or "Waiting for your
 * decision on downloads.example.org · 0 tools · sandboxed". Its tools held back
 * (changed or added since approved) are counted there, since the row's count includes them and none of them runs.
 */
export function serverFacts(server: McpServerStatusInfo, heldBack: number): string {
  const waitingFor = waitingForDomains(server);
  return [
    // Its sandbox refused it a host as it started: it is not restarted until the person decides on it.
    waitingFor.length > 0 ? `Waiting for your decision on ${waitingFor.join(', ')}` : STATE_WORDS[server.state],
    `${serverToolCount(server)}${heldBack > 0 ? `, ${heldBack} held back` : ''}`,
    server.offers.length > 0 && `${server.offers.join(' and ')} (type / in the chat)`,
    server.sandboxed !== null && (server.sandboxed ? 'sandboxed' : 'not sandboxed: every tool asks'),
    // Said beside the sandbox: the person's own "trustedOutput", so its output does not taint a conversation.
    server.outputTrusted && 'output trusted',
  ]
    .filter(Boolean)
    .join(' · ');
}
