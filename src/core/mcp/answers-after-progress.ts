import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

/**
 * Hands the client each of the server's answers a microtask late, after the notifications read before it. The SDK's
 * Protocol takes an answer at once (and with it drops the call's progress handler) but a notification a microtask
 * later: a call's last progress ("5 of 5"), sent just before its answer and read in the same chunk (as a stdio
 * server's often are), found no handler and was lost. A microtask, not a timer: nothing else (the connection's
 * close) comes between the answer's read and its delivery.
 * Called once `client.connect` has set the transport's `onmessage`.
 */
export function answersAfterProgress(transport: Transport): void {
  const deliver = transport.onmessage;
  if (!deliver) return;
  transport.onmessage = (message, extra) => {
    const isAnswer = 'id' in message && !('method' in message);
    if (isAnswer) queueMicrotask(() => deliver(message, extra));
    else deliver(message, extra);
  };
}
