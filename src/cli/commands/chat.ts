import { FixedApprovalGate } from '../../core/approvals/approval-gate';
import { CliUsageError, type CommandContext } from '../command';
import { createNodeRuntime } from '../node-runtime';
import { noteSecondCopies } from './tools';

export const chatHelp = `portcullis chat [--json] [--data-dir D] [--workspace W] [--approve all|none] [--conversation ID] "message"
  Runs one turn. Calls that need approval are approved (--approve all) or denied (--approve none, the default).`;

export async function chatCommand({ values, positionals, out }: CommandContext): Promise<number> {
  const text = positionals.join(' ').trim();
  if (!text) throw new CliUsageError('Say what the agent should do, e.g. portcullis chat "list the files".');
  const approve = values.approve ?? 'none';
  if (approve !== 'all' && approve !== 'none') throw new CliUsageError(`--approve takes "all" or "none", not "${approve}".`);

  const runtime = createNodeRuntime({ dataDir: values['data-dir'], workspace: values.workspace, approvalGate: new FixedApprovalGate(approve) });
  noteSecondCopies(runtime);
  try {
    await runtime.mcp.settled(); // so that the model is offered the MCP servers' tools too
    const conversationId = values.conversation ?? (await runtime.handlers['conversations.create']({})).id;
    const result = await runtime.startTurn(conversationId, text).done;
    const toolCalls = result.toolCalls.map((call) => ({
      id: call.id,
      tool: call.toolName,
      arguments: call.arguments,
      decision: call.decision,
      approval: call.approval,
      status: call.status,
      ...(call.result === undefined ? {} : { result: call.result }),
      error: call.error,
    }));
    if (values.json) {
      out(JSON.stringify({ conversationId, turnId: result.turnId, traceId: result.traceId, reply: result.reply, toolCalls, error: result.error }));
    } else {
      for (const call of toolCalls) out(`[${call.tool}] ${call.decision?.effect ?? 'invalid'} → ${call.status}${call.error ? `: ${call.error.message}` : ''}`);
      out(result.error ? `Error: ${result.error.message}` : result.reply);
      out(`(trace ${result.traceId})`);
    }
    return result.error ? 1 : 0;
  } finally {
    await runtime.dispose();
  }
}
