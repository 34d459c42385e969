import type { McpServerStatusInfo } from './domain/tool-catalog';

/**
 * The hosts a failed server waits for the person's decision on (its sandbox refused them as it started), or none:
 * only a failed server waits, and its state line, its row and `tools list` all say so.
 */
export function waitingForDomains(server: Pick<McpServerStatusInfo, 'state' | 'waitingForDomains'>): readonly string[] {
  return server.state === 'failed' ? (server.waitingForDomains ?? []) : [];
}
