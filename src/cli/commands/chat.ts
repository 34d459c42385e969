import { FixedApprovalGate } from '../../core/approvals/approval-gate';
import { CliUsageError, type CommandContext } from '../command';
import { createNodeRuntime } from '../node-runtime';
import { besideRunningPortcullis } from '../running-portcullis';
import { noteSecondCopies } from './tools';

export const chatHelp = `portcullis chat [--json] [--data-dir D] [--workspace W] [--approve all|none] [--conversation ID] "message"
  Runs one turn. Calls that need approval are approved (--approve all) or denied (--approve none, the default).
  The turn runs in this process, also beside a running Portcullis on the folder (serve, or the desktop app): with
  its own copy of each MCP server, and its approvals decided by --approve, not asked in that one's window (it says
  so on stderr). Send the message in the app's window to have it run there.`;

export async function chatCommand({ values, positionals, out }: CommandContext): Promise<number> {
  const text = positionals.join(' ').trim();
  if (!text) throw new CliUsageError('Say what the agent should do, e.g. portcullis chat "list the files".');
  const approve = values.approve ?? 'none';
  if (approve !== 'all' && approve !== 'none') throw new CliUsageError(`--approve takes "all" or "none", not "${approve}".`);

  const beside = besideRunningPortcullis(values['data-dir']);
  const runtime = createNodeRuntime({ dataDir: values['data-dir'], workspace: values.workspace, approvalGate: new FixedApprovalGate(approve) });
  if (beside.kind === 'reachable') noteTurnRunsHere(beside.api.pid, approve);
  else noteSecondCopies(runtime);
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

/**
 * A turn through the running Portcullis would need its turns to take "deny when asked" (as tools.call's ifAsked does)
 * and a way to wait for one's end; until then the turn is this process's, and the person is told what that means
 * (on stderr: --json stays whole) rather than finding a second copy of a server failed, or an approval never asked.
 */
function noteTurnRunsHere(pid: number, approve: 'all' | 'none'): void {
  console.error(
    `portcullis: Portcullis is running on this data folder (pid ${pid}), but chat runs its turn here, in this process, not in it: ` +
      'it starts a second copy of each MCP server (one that holds a lock or a port may fail in one of them), and a call that needs approval ' +
      `is ${approve === 'all' ? 'approved' : 'denied'} by --approve ${approve} here, not asked in that one's window. The conversation and its trace go to the same folder, where it shows them. ` +
      'To have the turn run there, send the message in its window; for one tool call, `portcullis tools call NAME --approve ask` goes through it.',
  );
}
