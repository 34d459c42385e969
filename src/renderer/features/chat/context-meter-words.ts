import type { ContextUse } from '../../../shared/domain/context-use';
import { formatCount as n } from '../../lib/format';

/**
 * The context meter's words. Over the limit means the newest turn alone is bigger than the history may be: it is
 * sent whole all the same. When the instructions and tool definitions alone fill a known context (Ollama's 4,096
 * tokens with two MCP servers connected), no history fits at all: "~500 of 0 tokens" said nothing of why, so the
 * words name what takes the room and what to change.
 */
export function contextMeterWords(use: ContextUse): string {
  const tools = use.toolsLeftOut ? ` · ${n(use.toolsLeftOut)} ${use.toolsLeftOut === 1 ? 'tool is' : 'tools are'} not offered, to fit the model's context (those the request least needs)` : '';
  // A result cut to fit: the model's answer about it (a CSV summed up) rests on its start alone.
  const cut = use.resultsCut
    ? ` · ${use.resultsCut === 1 ? 'a tool result was' : `${n(use.resultsCut)} tool results were`} too long for the model's context: it saw only the start${use.resultsCut === 1 ? '' : ' of each'} (the chat shows ${use.resultsCut === 1 ? 'it' : 'them'} whole)`
    : '';
  const left = `${use.omitted > 0 ? ` · ${n(use.omitted)} earlier ${use.omitted === 1 ? 'message is' : 'messages are'} not sent` : ''}${cut}${tools}`;
  const context = use.context ? ` (context ${n(use.context.tokens)}, ${use.context.source})` : '';
  if (use.context && use.budget === 0 && use.overhead !== undefined) {
    return (
      `History sent: only the last turn, ~${n(use.tokens)} tokens, and it may not fit: the instructions and tool definitions take ` +
      `~${n(use.overhead)} tokens of the model's ${n(use.context.tokens)}-token context (${use.context.source}), leaving no room for ` +
      `earlier turns. Give the model a larger context (Settings → Model), or turn off servers you do not need${left}`
    );
  }
  const over = use.tokens > use.budget;
  const overWords = over ? `, over the history limit: the last turn is sent whole${use.context ? ' and may not fit the model' : ''}` : '';
  return `History sent: ~${n(use.tokens)} of ${n(use.budget)} tokens${context}${overWords}${left}`;
}
