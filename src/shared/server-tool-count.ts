import { counted } from './counted';
import type { McpServerStatusInfo } from './domain/tool-catalog';

/**
 * A server's tools as its row counts them: "10 tools", or, while it is not connected, "10 tools, unavailable until it
 * starts again" (they stay listed from its last start, and none of them can be called meanwhile), where a failed
 * server's row said "Failed · 10 tools" as if they worked.
 */
export function serverToolCount(server: Pick<McpServerStatusInfo, 'state' | 'toolCount' | 'transport'>): string {
  const count = counted(server.toolCount, 'tool');
  if (server.state === 'connected' || server.toolCount === 0) return count;
  return `${count}, unavailable until it ${server.transport === 'stdio' ? 'starts' : 'connects'} again`;
}
