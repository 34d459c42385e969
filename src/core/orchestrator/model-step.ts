import type { AppEvent } from '../../shared/api/contract';
import type { ModelChunk, ModelMessage } from '../model/model-provider';
import { MAX_ARGUMENT_DEPTH } from '../../shared/domain/direct-call';
import type { RequestedToolCall } from '../../shared/domain/message';
import { nestsDeeperThan } from '../../shared/json-depth';
import type { Emitter } from '../lifecycle/emitter';
import type { Redactor } from '../redaction/redactor';
import { StreamRedactor } from '../redaction/stream-redactor';
import { usageAttributes } from '../telemetry/genai-attributes';
import type { Tracer } from '../telemetry/tracer';
import { modelMessageTokens } from './model-history';
import { ReplyCutAtLimit } from './reply-cut-at-limit';
import { stepContext, type StepContextDeps, type ToolOffer } from './step-context';
import { estimateTokens } from './turn-budget';
import { throwIfAborted } from './turn-stop';

export interface ModelStepDeps extends StepContextDeps {
  tracer: Tracer;
  events: Emitter<AppEvent>;
  /** Masks secrets in the streamed reply; a secret split across two pieces is held back until it is whole. */
  redactor?: Redactor;
  /** Why a tool named by the person is not offered (held back, turned off, its server down), when MCP knows. */
  whyAbsent?: (name: string) => string | undefined;
  /** Whether a path is a file or folder of the workspace: a request may name one without a slash or with spaces. */
  workspaceHas?: (name: string) => boolean;
}

/** What the model has said so far in the step under way (its thinking too), for a turn stopped in the middle of it. */
export interface PartialReply {
  text: string;
  reasoning?: { text: string; ms: number };
  /** Told each time it grows (its draft is written from it, `ReplyDraftWriter`). */
  changed?: () => void;
}

/** What the model said in one step: its text, the tools it asks to call, and the tokens the step took. */
export interface ModelStep {
  text: string;
  /** A reasoning model's thinking before its answer, and how long it took; kept and shown, never sent back. */
  reasoning?: { text: string; ms: number };
  toolCalls: RequestedToolCall[];
  tokens: number;
}

/**
 * One model step of a turn, as a `model` span: sends the conversation as it fits the context, streams the reply to
 * the chat (secrets masked) and collects the tool calls it asks for. `partial` holds the text said so far while the
 * step is under way, for a turn stopped in the middle of it.
 */
export function runModelStep(
  deps: ModelStepDeps,
  conversationId: string,
  turnId: string,
  signal: AbortSignal,
  offer: ToolOffer,
  partial: PartialReply,
  /** Portcullis' words to the model after the history (calls of its last step that did not run), this step only. */
  note?: ModelMessage,
): Promise<ModelStep> {
  const { tracer, model, events } = deps;
  return tracer.withSpan('model', `chat ${model.id}`, { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': model.id }, async (span) => {
    let text = '';
    let reasoning = '';
    /** When the thinking began and ended: from its first piece to the answer's first (or the reply's end). */
    let thinking: { from: number; to?: number } | undefined;
    /** When its first answer text came: the start of its thinking, should that text be recalled as thinking. */
    let firstTextAt: number | undefined;
    let tokens: number | null = null;
    const toolCalls: RequestedToolCall[] = [];
    let finish: Extract<ModelChunk, { type: 'finish' }> | undefined;
    const { history, tools, use, attributes } = await stepContext(deps, conversationId, offer, turnId, signal);
    span.setAttributes(attributes);
    events.fire({ channel: 'chat.contextUsed', payload: { conversationId, turnId, use } });
    let stream = deps.redactor ? new StreamRedactor(deps.redactor) : null;
    const sendDelta = (piece: string): void => {
      if (piece) events.fire({ channel: 'chat.delta', payload: { conversationId, turnId, text: piece } });
    };
    const { whyAbsent, workspaceHas } = deps;
    const request = { messages: note ? [...history, note] : history, tools, ...(whyAbsent ? { whyAbsent } : {}), ...(workspaceHas ? { workspaceHas } : {}) };
    for await (const chunk of model.stream(request, signal)) {
      throwIfAborted(signal);
      if (chunk.type === 'finish') {
        finish = chunk;
        if (chunk.usage) {
          tokens = chunk.usage.inputTokens + chunk.usage.outputTokens;
          span.setAttributes({ 'gen_ai.usage.input_tokens': chunk.usage.inputTokens, 'gen_ai.usage.output_tokens': chunk.usage.outputTokens });
        }
      } else if (chunk.type === 'reasoning-delta') {
        if (chunk.recalled) {
          // What streamed as its answer was its thinking (its opening <think> was in the prompt): the chat takes it
          // back and says it is thinking; nothing of it is kept as the answer.
          text = '';
          partial.text = '';
          stream = deps.redactor ? new StreamRedactor(deps.redactor) : null;
          thinking = { from: thinking?.from ?? firstTextAt ?? Date.now() };
          events.fire({ channel: 'chat.delta', payload: { conversationId, turnId, text: '', thinking: true, recalled: true } });
        }
        reasoning += chunk.text;
        if (!thinking) {
          thinking = { from: Date.now() };
          // The chat says the model is thinking, where it would wait on a silent model all along.
          events.fire({ channel: 'chat.delta', payload: { conversationId, turnId, text: '', thinking: true } });
        }
        partial.reasoning = { text: reasoning, ms: Date.now() - thinking.from };
        partial.changed?.();
      } else if (chunk.type === 'text-delta') {
        if (thinking && thinking.to === undefined) thinking.to = Date.now();
        firstTextAt ??= Date.now();
        text += chunk.text;
        partial.text = text;
        partial.changed?.();
        sendDelta(stream ? stream.push(chunk.text) : chunk.text);
      } else if (chunk.type === 'tool-call') {
        toolCalls.push({ id: chunk.id, name: chunk.name, arguments: keptArguments(chunk.arguments) });
      }
      span.setAttributes(usageAttributes(chunk));
    }
    if (stream) sendDelta(stream.end());
    span.captureContent('gen_ai.output.messages', text);
    const thought = thinking && reasoning.trim() ? { text: reasoning, ms: (thinking.to ?? Date.now()) - thinking.from } : undefined;
    if (thought) {
      // Its length and time always; its words only as the answer's are, under content capture (they may quote
      // private files as much as the answer does, and are often many times longer).
      span.setAttributes({ 'portcullis.model.reasoning_chars': thought.text.length, 'portcullis.model.reasoning_ms': thought.ms });
      span.captureContent('gen_ai.output.reasoning', thought.text);
    }
    const cutAtLimit = finish?.reason === 'length';
    span.setAttributes({ 'gen_ai.response.finish_reasons': cutAtLimit ? 'length' : toolCalls.length > 0 ? 'tool_calls' : 'stop', 'portcullis.model.tool_calls': toolCalls.length });
    // Arguments past repair stay the text the model sent: at the limit, that is a call cut off mid-way.
    const cutCall = toolCalls.find((call) => typeof call.arguments === 'string');
    if (cutAtLimit && (toolCalls.length === 0 || cutCall)) throw new ReplyCutAtLimit(cutCall?.name ?? null, thought !== undefined && !text.trim());
    tokens ??= history.reduce((sum, message) => sum + modelMessageTokens(message), 0) + estimateTokens(reasoning + text + JSON.stringify(toolCalls));
    // The step ended: what it said is stored with it.
    partial.text = '';
    delete partial.reasoning;
    return { text, toolCalls, tokens, ...(thought ? { reasoning: thought } : {}) };
  });
}

/**
 * A model's arguments nested thousands deep overflowed the stack where the step is measured and stored, and the turn
 * ended INTERNAL. They are kept as a text saying so, as arguments past repair are: the gateway refuses the call as not
 * a JSON object, and the model, told, may send it again.
 */
function keptArguments(args: unknown): unknown {
  return nestsDeeperThan(args, MAX_ARGUMENT_DEPTH) ? `[arguments nested more than ${MAX_ARGUMENT_DEPTH} levels deep, not kept]` : args;
}
