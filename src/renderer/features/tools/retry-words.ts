import type { McpServerStatusInfo } from '../../../shared/domain/tool-catalog';

/** How a failed server's next try is said: a local one is restarted, a remote one (it runs elsewhere) reconnected to. */
export function retryWords(transport: McpServerStatusInfo['transport']): { next: string; now: string; done: string } {
  return transport === 'stdio' ? { next: 'restarts', now: 'restarting…', done: 'restarted' } : { next: 'reconnects', now: 'reconnecting…', done: 'tried again' };
}
