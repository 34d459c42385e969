import type { RequestOutput } from '../../shared/api/contract';
import { isAnswer, type Message } from '../../shared/domain/message';
import type { ToolCallRecord } from '../../shared/domain/tool-call';
import { AppError } from '../../shared/errors';
import { CliUsageError, type CommandContext } from '../command';
import { createNodeRuntime } from '../node-runtime';
import { besideRunningPortcullis, type RunningApi } from '../running-portcullis';
import { approvesInPersonsPlace, noteSecondCopies, noteThrough } from './tools';
import { approvalGateFor, parseApproveOption, type ApproveOption } from '../approve-option';
import { settleSaying } from '../settle-saying';

export const chatHelp = `portcullis chat [--json] [--data-dir D] [--workspace W] [--approve none|all|ask|TOOLS] [--conversation ID] "message"
  Runs one turn. Calls that need approval are denied (--approve none, the default), approved (--approve all), or
  approved only for the tools a list of names and globs matches and denied for the rest, unasked (--approve
  "github.get_*,memory.read_graph"; a !glob takes tools out: "memory.*,!memory.delete_entities"). Beside a running
  Portcullis on the folder (serve, or the desktop app) the turn is that one's (its servers, its conversation, records
  and trace; its message and approvals say the Terminal sent it): --approve ask waits for the person's answer in its
  window, none denies without asking, and all or a list is refused (a command does not approve in the person's
  place); alone, ask is refused (no one to ask). Ctrl+C stops the turn.`;

/** What `chat --json` prints, alone or through the running Portcullis. */
interface TurnOutcome {
  conversationId: string;
  turnId: string;
  traceId: string;
  reply: string;
  toolCalls: readonly ToolCallRecord[];
  error: TurnError | null;
}

type TurnError = { code: string; message: string };

export async function chatCommand(context: CommandContext): Promise<number> {
  const { values, positionals } = context;
  const text = positionals.join(' ').trim();
  if (!text) throw new CliUsageError('Say what the agent should do, e.g. portcullis chat "list the files".');
  const approve = parseApproveOption(values.approve);
  const beside = besideRunningPortcullis(values['data-dir']);
  if (beside.kind === 'reachable') return chatThrough(context, beside.api, text, approve);
  if (approve === 'ask') {
    throw new CliUsageError(beside.kind === 'unreachable'
      ? `--approve ask waits for the answer in the running Portcullis${beside.pid ? ` (pid ${beside.pid})` : ''}, but ${beside.why}. Send the message in its window, or use --approve none.`
      : 'No Portcullis is running on this data folder to ask in: --approve ask waits for the answer in its window. Start it (portcullis serve, or the desktop app), or use --approve none, all or a list of tools.');
  }

  const runtime = createNodeRuntime({ dataDir: values['data-dir'], workspace: values.workspace, approvalGate: approvalGateFor(approve) });
  noteSecondCopies(runtime);
  try {
    await settleSaying(runtime.mcp); // so that the model is offered the MCP servers' tools too
    const conversationId = values.conversation ?? (await runtime.handlers['conversations.create']({})).id;
    const result = await runtime.startTurn(conversationId, text).done;
    return printTurn(context, { conversationId, turnId: result.turnId, traceId: result.traceId, reply: result.reply, toolCalls: result.toolCalls, error: result.error });
  } finally {
    await runtime.dispose();
  }
}

/**
 * The turn run by the Portcullis running on the folder: its servers, its conversation and trace, its approvals (asked
 * in its window with --approve ask, denied without asking with none). A command never approves there: --approve all
 * would approve in the person's place, in the app they are using. Its end is heard as the app's window hears it
 * (chat.turnEnded); what it did is then read back from the conversation, in the shape the turn gives alone.
 */
async function chatThrough(context: CommandContext, api: RunningApi, text: string, approve: ApproveOption): Promise<number> {
  if (approve !== 'none' && approve !== 'ask') throw new CliUsageError(approvesInPersonsPlace(api, 'this turn runs in it', approve));
  noteThrough(context, api, approve === 'ask' ? 'the turn is its own, and an approval it needs is asked in its window' : 'the turn is its own');
  const ended = new Map<string, TurnError | null>();
  let hear: ((turnId: string) => void) | undefined;
  const session = await api.connect((event) => {
    if (event.channel !== 'chat.turnEnded') return;
    ended.set(event.payload.turnId, event.payload.error);
    hear?.(event.payload.turnId);
  });
  try {
    const conversationId = context.values.conversation ?? (await session.call<RequestOutput<'conversations.create'>>('conversations.create', {})).id;
    const { turnId, traceId } = await session.call<RequestOutput<'chat.send'>>('chat.send', { conversationId, text, ifAsked: approve === 'ask' ? 'wait' : 'deny' });
    // Ctrl+C stops the turn there, as Stop in its window would; a second one ends this command at once.
    const stop = (): void => void session.call('chat.stop', { conversationId }).catch(() => undefined);
    process.once('SIGINT', stop);
    const end = new Promise<void>((resolve) => {
      hear = (id) => id === turnId && resolve();
      if (ended.has(turnId)) resolve();
    });
    await Promise.race([end, session.closed]);
    process.off('SIGINT', stop);
    if (!ended.has(turnId)) throw new AppError('INTERNAL', `The Portcullis running on this data folder (pid ${api.pid}) stopped before the turn ended; its conversation keeps what the turn did (trace ${traceId}).`);
    const messages = (await session.call<Message[]>('messages.list', { conversationId })).filter((message) => message.turnId === turnId);
    const toolCalls = messages.flatMap((message) => (message.role === 'tool' && message.toolCall ? [message.toolCall] : []));
    const reply = messages.filter(isAnswer).at(-1)?.content ?? '';
    return printTurn(context, { conversationId, turnId, traceId, reply, toolCalls, error: ended.get(turnId) ?? null });
  } finally {
    session.close();
  }
}

function printTurn({ values, out }: CommandContext, turn: TurnOutcome): number {
  const toolCalls = turn.toolCalls.map((call) => ({
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
    out(JSON.stringify({ conversationId: turn.conversationId, turnId: turn.turnId, traceId: turn.traceId, reply: turn.reply, toolCalls, error: turn.error }));
  } else {
    for (const call of toolCalls) out(`[${call.tool}] ${call.decision?.effect ?? 'invalid'} → ${call.status}${call.error ? `: ${call.error.message}` : ''}`);
    out(turn.error ? `Error: ${turn.error.message}` : turn.reply);
    out(`(trace ${turn.traceId})`);
  }
  return turn.error ? 1 : 0;
}
