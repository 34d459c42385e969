import { runBuiltinTool } from '../core/sandbox/builtin-tool-dispatch';
import type { FromWorkerMessage, ToWorkerMessage } from '../core/sandbox/worker-protocol';
import type { WorkspaceScope } from '../core/sandbox/workspace-scope';
import { toWireError } from '../shared/errors';

/** Runs one call the runtime sent with the built-in tools (their path checks included) and answers it, wherever the tool code runs. */
export async function answerCall(workspace: WorkspaceScope, message: ToWorkerMessage, send: (message: FromWorkerMessage) => void): Promise<void> {
  if (message?.type !== 'call') return;
  try {
    const result = await runBuiltinTool(workspace, message.toolName, message.arguments);
    send({ type: 'result', id: message.id, ok: true, result });
  } catch (error) {
    send({ type: 'result', id: message.id, ok: false, error: toWireError(error) });
  }
}
