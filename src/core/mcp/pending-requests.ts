import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';

/**
 * The requests Portcullis sent a stdio server that it has not answered yet, as its transport sees them go and come:
 * what a line too large to read, naming no request, may have been the answer to (`BoundedReadBuffer`).
 */
export class PendingRequests {
  private readonly ids = new Set<RequestId>();

  /** A message sent: a request waits from now; a cancellation ends the wait for the one it names (none will come). */
  sent(message: JSONRPCMessage): void {
    if ('method' in message && 'id' in message) this.ids.add(message.id);
    else if ('method' in message && message.method === 'notifications/cancelled') {
      const id: unknown = (message.params as { requestId?: unknown } | undefined)?.requestId;
      if (typeof id === 'string' || typeof id === 'number') this.ids.delete(id);
    }
  }

  /** A message read: an answer (or an error standing in for one) ends its request's wait. */
  read(message: JSONRPCMessage): void {
    if (!('method' in message) && 'id' in message && message.id !== undefined) this.ids.delete(message.id);
  }

  get waiting(): RequestId[] {
    return [...this.ids];
  }
}
