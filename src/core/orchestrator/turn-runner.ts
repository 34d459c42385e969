import type { AppEvent } from '../../shared/api/contract';
import type { Message, RequestedToolCall } from '../../shared/domain/message';
import type { ToolCallRecord } from '../../shared/domain/tool-call';
import { AppError, toWireError, type WireError } from '../../shared/errors';
import { newId, newTraceId } from '../../shared/ids';
import type { Clock } from '../clock';
import type { Emitter } from '../lifecycle/emitter';
import type { ModelProvider } from '../model/model-provider';
import type { ConversationStore } from '../storage/stores/conversation-store';
import type { MessageStore, NewMessage } from '../storage/stores/message-store';
import type { Tracer } from '../telemetry/tracer';
import type { ToolGateway } from '../tools/tool-gateway';
import type { ToolRegistry } from '../tools/tool-registry';
import { usageAttributes } from '../telemetry/genai-attributes';
import { toModelMessages } from './model-history';

export interface TurnResult {
  conversationId: string;
  turnId: string;
  traceId: string;
  reply: string;
  toolCalls: ToolCallRecord[];
  error: WireError | null;
}

export interface StartedTurn {
  turnId: string;
  traceId: string;
  userMessageId: string;
  done: Promise<TurnResult>;
}

export interface TurnRunnerDeps {
  model: ModelProvider;
  gateway: ToolGateway;
  registry: ToolRegistry;
  conversations: ConversationStore;
  messages: MessageStore;
  tracer: Tracer;
  clock: Clock;
  events: Emitter<AppEvent>;
  maxSteps: number;
}

const DEFAULT_TITLE = 'New chat';

/**
 * One turn: the model and the tools take turns until the model answers in text or the step budget ends.
 * The person's message is stored before `start` returns, so an acknowledged message is never lost.
 */
export class TurnRunner {
  private readonly active = new Map<string, { controller: AbortController; done: Promise<TurnResult> }>();

  constructor(private readonly deps: TurnRunnerDeps) {}

  start(conversationId: string, text: string): StartedTurn {
    const { conversations, clock } = this.deps;
    const conversation = conversations.get(conversationId);
    if (this.active.has(conversationId)) {
      throw new AppError('TURN_IN_PROGRESS', 'The agent is still working on the previous message. Wait for it, or press Stop.');
    }
    const turnId = newId();
    const traceId = newTraceId();
    const controller = new AbortController();
    const userMessage = this.append({ id: newId(), conversationId, turnId, role: 'user', content: text, traceId, createdAt: clock.now() });
    if (conversation.title === DEFAULT_TITLE) conversations.rename(conversationId, titleFrom(text));
    const done = this.run(conversationId, turnId, traceId, controller.signal).finally(() => this.active.delete(conversationId));
    this.active.set(conversationId, { controller, done });
    return { turnId, traceId, userMessageId: userMessage.id, done };
  }

  /** Stops the conversation's running turn: the model stream, pending approvals (as denials) and running tools. */
  stop(conversationId: string): boolean {
    const turn = this.active.get(conversationId);
    turn?.controller.abort();
    return turn !== undefined;
  }

  /** Stops every running turn and waits until each has written its last record. */
  async stopAll(): Promise<void> {
    const turns = [...this.active.values()];
    for (const turn of turns) turn.controller.abort();
    await Promise.allSettled(turns.map((turn) => turn.done));
  }

  private async run(conversationId: string, turnId: string, traceId: string, signal: AbortSignal): Promise<TurnResult> {
    const { tracer, model, events } = this.deps;
    const result: TurnResult = { conversationId, turnId, traceId, reply: '', toolCalls: [], error: null };
    try {
      await tracer.withTrace(
        'turn',
        `invoke_agent portcullis`,
        { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.conversation.id': conversationId, 'gen_ai.request.model': model.id },
        async (span) => {
          for (let step = 1; ; step++) {
            if (signal.aborted) throw new AppError('TURN_STOPPED', 'Stopped. Nothing more will run in this turn.');
            if (step > this.deps.maxSteps) {
              throw new AppError('BUDGET_EXCEEDED', `The turn ended after ${this.deps.maxSteps} steps without a final answer. Try a narrower request.`);
            }
            const { text, toolCalls } = await this.callModel(conversationId, turnId, signal);
            const assistant = this.append({
              id: newId(), conversationId, turnId, role: 'assistant', content: text, traceId, createdAt: this.deps.clock.now(),
              ...(toolCalls.length > 0 ? { toolCalls } : {}),
            });
            if (toolCalls.length === 0) {
              result.reply = assistant.content;
              span.setAttributes({ 'portcullis.turn.steps': step });
              return;
            }
            for (const call of toolCalls) {
              const record = await this.deps.gateway.call(
                { conversationId, turnId, modelCallId: call.id, toolName: call.name, arguments: call.arguments },
                signal,
              );
              result.toolCalls.push(record);
              this.append({
                id: newId(), conversationId, turnId, role: 'tool', content: '', toolCallId: record.id, traceId, createdAt: this.deps.clock.now(),
              });
            }
          }
        },
        traceId,
      );
    } catch (error) {
      result.error = toWireError(error);
      if (!(error instanceof AppError)) console.error('turn failed', error);
    }
    events.fire({ channel: 'chat.turnEnded', payload: { conversationId, turnId, traceId, error: result.error } });
    return result;
  }

  private callModel(conversationId: string, turnId: string, signal: AbortSignal): Promise<{ text: string; toolCalls: RequestedToolCall[] }> {
    const { tracer, model, registry, messages, events } = this.deps;
    return tracer.withSpan('model', `chat ${model.id}`, { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': model.id }, async (span) => {
      const tools = registry.list().map(({ name, description, inputSchema }) => ({ name, description, inputSchema }));
      let text = '';
      const toolCalls: RequestedToolCall[] = [];
      for await (const chunk of model.stream({ messages: toModelMessages(messages.list(conversationId)), tools }, signal)) {
        if (signal.aborted) throw new AppError('TURN_STOPPED', 'Stopped. Nothing more will run in this turn.');
        if (chunk.type === 'text-delta') {
          text += chunk.text;
          events.fire({ channel: 'chat.delta', payload: { conversationId, turnId, text: chunk.text } });
        } else if (chunk.type === 'tool-call') {
          toolCalls.push({ id: chunk.id, name: chunk.name, arguments: chunk.arguments });
        }
        span.setAttributes(usageAttributes(chunk));
      }
      span.captureContent('gen_ai.output.messages', text);
      span.setAttributes({ 'gen_ai.response.finish_reasons': toolCalls.length > 0 ? 'tool_calls' : 'stop', 'portcullis.model.tool_calls': toolCalls.length });
      return { text, toolCalls };
    });
  }

  private append(message: NewMessage): Message {
    const stored = this.deps.messages.append(message);
    this.deps.conversations.touch(message.conversationId, message.createdAt);
    this.deps.events.fire({ channel: 'chat.message', payload: stored });
    return stored;
  }
}

function titleFrom(text: string): string {
  const line = text.trim().split('\n')[0]!;
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}
