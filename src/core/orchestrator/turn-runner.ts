import type { AppEvent } from '../../shared/api/contract';
import type { ContextUse, ResultCut } from '../../shared/domain/context-use';
import { isAnswer, type Message, type RequestedToolCall } from '../../shared/domain/message';
import type { ToolCallRecord } from '../../shared/domain/tool-call';
import { AppError, toWireError, type WireError } from '../../shared/errors';
import { newId, newTraceId } from '../../shared/ids';
import type { Clock } from '../clock';
import type { Emitter } from '../lifecycle/emitter';
import type { ModelMessage, ModelProvider, ModelToolSpec } from '../model/model-provider';
import { SYSTEM_PROMPT } from '../model/system-prompt';
import type { IntentRouter, Route } from '../router/intent-router';
import type { ConversationStore } from '../storage/stores/conversation-store';
import type { MessageStore, NewMessage } from '../storage/stores/message-store';
import type { SpanAttributes, Tracer } from '../telemetry/tracer';
import type { ToolGateway } from '../tools/tool-gateway';
import type { ToolRegistry } from '../tools/tool-registry';
import { usageAttributes } from '../telemetry/genai-attributes';
import type { Redactor } from '../redaction/redactor';
import { StreamRedactor } from '../redaction/stream-redactor';
import { toStorageError } from '../storage/storage-error';
import { DEFAULT_HISTORY_TOKENS, fitNewestHistory, historyBudget, maxToolResultChars } from './history-window';
import { answerEveryToolCall, modelMessageTokens, toModelMessages } from './model-history';
import { inTurnOrder } from './turn-order';
import { ImageAllowance } from './tool-result-for-model';
import { directCallRoute, parseDirectCall } from '../router/direct-call';
import { offeredTools, outsideRoute } from './tool-offer';
import { fitToolsToContext, type ToolPreference } from './tool-fit';
import { defaultTurnBudget, estimateTokens, TurnBudget, type TurnBudgetLimits } from './turn-budget';
import type { TurnClaims } from './turn-claims';

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
  /** Why a tool named by the person is not offered (held back, turned off, its server down), when MCP knows. */
  whyAbsent?: (name: string) => string | undefined;
  /** Whether a bare name is a file or folder at the top of the workspace: a request may name one without a slash. */
  workspaceHas?: (name: string) => boolean;
  conversations: ConversationStore;
  messages: MessageStore;
  tracer: Tracer;
  clock: Clock;
  events: Emitter<AppEvent>;
  maxSteps: number;
  /** Tool call id → untrusted source, for fencing untrusted output in what the model sees. */
  untrustedCalls?: (conversationId: string) => ReadonlyMap<string, string>;
  /** Tool-call, wall-time and token limits (steps come from `maxSteps`). */
  budget?: Partial<Omit<TurnBudgetLimits, 'steps'>>;
  /** The estimated tokens of past turns sent with each model call (default `DEFAULT_HISTORY_TOKENS`). */
  historyTokens?: number;
  /** Masks secrets in the streamed reply; a secret split across two pieces is held back until it is whole. */
  redactor?: Redactor;
  /** When set, each turn is routed: a call outside the intent's tools asks (`outsideRoute`), and the route goes to the policy. */
  router?: IntentRouter;
  /**
   * Told each turn's trace before its first span: spans carry no conversation id, and a private conversation's
   * must stay in memory even when the turn stores no message (a retry that fails at once).
   */
  onTurnTrace?: (conversationId: string, traceId: string) => void;
  /** Claims each turn's conversation across processes on the data folder; without it, only this runner's turns count. */
  claims?: TurnClaims;
  /** Why no turn can start now (its data folder is gone, so nothing it wrote would be kept), or null. */
  unavailable?: () => AppError | null;
}

const DEFAULT_TITLE = 'New chat';

/** The reason `stopAll` gives: Portcullis closing, not the person's Stop. */
const CLOSING = Symbol('closing');

/**
 * One turn: the model and the tools take turns until the model answers in text or the step budget ends.
 * The person's message is stored before `start` returns, so an acknowledged message is never lost.
 */
export class TurnRunner {
  private readonly active = new Map<string, { turnId: string; traceId: string; controller: AbortController; done: Promise<TurnResult> }>();

  constructor(private readonly deps: TurnRunnerDeps) {}

  start(conversationId: string, text: string): StartedTurn {
    const { conversations, clock } = this.deps;
    const conversation = conversations.get(conversationId);
    this.assertIdle(conversationId);
    const turnId = newId();
    const traceId = newTraceId();
    // Claimed before the message is stored: a turn another process runs here refuses it whole, nothing half-sent.
    this.deps.claims?.claim(conversationId, turnId);
    let userMessage: Message;
    try {
      userMessage = this.append({ id: newId(), conversationId, turnId, role: 'user', content: text, traceId, createdAt: clock.now() });
      if (conversation.title === DEFAULT_TITLE) conversations.rename(conversationId, titleFrom(text));
    } catch (error) {
      this.release(conversationId, turnId);
      throw error;
    }
    return { ...this.launch(conversationId, turnId, traceId, userMessage.content, false), userMessageId: userMessage.id };
  }

  /**
   * Runs the conversation's last turn again when it ended without an answer (an error, Stop, a budget, a killed
   * process): a new turn that answers the same message, after what the last one did. Its model steps see that
   * work, and a call left without a result is told to the model as not finished (`answerEveryToolCall`).
   */
  retry(conversationId: string): Omit<StartedTurn, 'userMessageId'> {
    const { conversations, messages } = this.deps;
    conversations.get(conversationId);
    this.assertIdle(conversationId);
    const last = messages.listNewest(conversationId, 1)[0];
    const requestId = last && !isAnswer(last) ? messages.userMessageOfTurn(conversationId, last.turnId) : null;
    const request = requestId ? messages.get(requestId) : undefined;
    if (!request) throw new AppError('VALIDATION_FAILED', 'The last turn of this conversation has its answer, so there is nothing to retry. Send a new message instead.');
    const turnId = newId();
    this.deps.claims?.claim(conversationId, turnId);
    return this.launch(conversationId, turnId, newTraceId(), request.content, true);
  }

  private assertIdle(conversationId: string): void {
    const unavailable = this.deps.unavailable?.();
    if (unavailable) throw unavailable;
    if (this.isRunning(conversationId)) {
      throw new AppError('TURN_IN_PROGRESS', 'The agent is still working on the previous message. Wait for it, or press Stop.');
    }
  }

  private launch(conversationId: string, turnId: string, traceId: string, request: string, retried: boolean): Omit<StartedTurn, 'userMessageId'> {
    this.deps.onTurnTrace?.(conversationId, traceId);
    // Before any of its events: every page shows it running (the sidebar's dot, Stop), whoever started it.
    this.deps.events.fire({ channel: 'chat.turnStarted', payload: { conversationId, turnId, traceId } });
    const controller = new AbortController();
    const done = this.run(conversationId, turnId, traceId, request, retried, controller.signal).finally(() => {
      this.active.delete(conversationId);
      this.release(conversationId, turnId);
    });
    this.active.set(conversationId, { turnId, traceId, controller, done });
    return { turnId, traceId, done };
  }

  private release(conversationId: string, turnId: string): void {
    try {
      this.deps.claims?.release(conversationId, turnId);
    } catch (error) {
      // A claim left behind is taken over once this process has ended; the turn's own records are what matter.
      console.error('the turn\'s claim on its conversation could not be given up', error);
    }
  }

  /** True while any conversation has a turn running. */
  anyRunning(): boolean {
    return this.active.size > 0;
  }

  /** The turn of this conversation this process runs now, or null. */
  runningTurn(conversationId: string): { turnId: string; traceId: string } | null {
    const turn = this.active.get(conversationId);
    return turn ? { turnId: turn.turnId, traceId: turn.traceId } : null;
  }

  /** Every turn this process runs now, by conversation. */
  allRunning(): Array<{ conversationId: string; turnId: string; traceId: string }> {
    return [...this.active].map(([conversationId, turn]) => ({ conversationId, turnId: turn.turnId, traceId: turn.traceId }));
  }

  /** Whether a turn of this conversation is still running. */
  isRunning(conversationId: string): boolean {
    return this.active.has(conversationId);
  }

  /**
   * Runs `fn` (deleting the conversation) with the conversation claimed as a turn claims it: a turn running in
   * another Portcullis process refuses it with the claim's words, and none can start there while `fn` runs (checked
   * first and deleted after, a turn claimed in between had its rows go from under it).
   */
  withConversationHeld<T>(conversationId: string, fn: () => T): T {
    const hold = `hold-${newId()}`;
    this.deps.claims?.claim(conversationId, hold);
    try {
      return fn();
    } finally {
      this.release(conversationId, hold);
    }
  }

  /** The pid of another Portcullis process on the data folder that runs a turn in the conversation now, or null. */
  runningElsewhere(conversationId: string): number | null {
    return this.deps.claims?.elsewhere(conversationId) ?? null;
  }

  /** Every conversation another Portcullis process on the data folder runs a turn in now, with its pid. */
  allRunningElsewhere(): Array<{ conversationId: string; pid: number }> {
    return this.deps.claims?.allElsewhere() ?? [];
  }

  /** Stops the conversation's running turn: the model stream, pending approvals (as denials) and running tools. */
  stop(conversationId: string): boolean {
    const turn = this.active.get(conversationId);
    turn?.controller.abort();
    return turn !== undefined;
  }

  /**
   * Portcullis is closing: stops every running turn and waits until each has written its last record, which says
   * that Portcullis, not the person, stopped it.
   */
  async stopAll(): Promise<void> {
    const turns = [...this.active.values()];
    for (const turn of turns) turn.controller.abort(CLOSING);
    await Promise.allSettled(turns.map((turn) => turn.done));
  }

  /** Stops every running turn with `reason` as its error (its data folder is gone: nothing more it does is kept). */
  stopEvery(reason: AppError): void {
    for (const turn of this.active.values()) turn.controller.abort(reason);
  }

  private async run(conversationId: string, turnId: string, traceId: string, request: string, retried: boolean, stopSignal: AbortSignal): Promise<TurnResult> {
    const { tracer, model, events } = this.deps;
    const result: TurnResult = { conversationId, turnId, traceId, reply: '', toolCalls: [], error: null };
    const budget = new TurnBudget({ ...defaultTurnBudget, ...this.deps.budget, steps: this.deps.maxSteps });
    // One signal for Stop and for the wall-time budget: either cancels the model stream and the running tools.
    const controller = new AbortController();
    const signal = controller.signal;
    const onStop = () =>
      controller.abort(
        stopSignal.reason === CLOSING
          ? new AppError('TOOL_INTERRUPTED', 'Portcullis was closing, so this turn stopped. Nothing more will run in it.')
          : stopSignal.reason instanceof AppError
            ? stopSignal.reason
            : new AppError('TURN_STOPPED', 'Stopped. Nothing more will run in this turn.'),
      );
    stopSignal.addEventListener('abort', onStop, { once: true });
    if (stopSignal.aborted) onStop();
    const timer = setTimeout(() => controller.abort(budget.wallTimeExceeded()), budget.limits.wallTimeMs);
    // What the model has said so far in the step under way, for a turn stopped in the middle of it.
    const partial = { text: '' };
    try {
      await tracer.withTrace(
        'turn',
        `invoke_agent portcullis`,
        {
          'gen_ai.operation.name': 'invoke_agent', 'gen_ai.conversation.id': conversationId, 'gen_ai.request.model': model.id,
          ...(retried ? { 'portcullis.turn.retried': true } : {}),
        },
        async (span) => {
          const route = this.routeTurn(request);
          if (route) span.setAttributes({ 'portcullis.route.intent': route.intent, 'portcullis.route.confidence': route.confidence });
          const tools = offeredTools(this.deps.registry.list(), this.maskSecrets);
          const preference: ToolPreference = { request, routeTools: route?.tools ?? [] };
          const outside = outsideRoute(route, this.routedTools());
          for (let step = 1; ; step++) {
            throwIfAborted(signal);
            budget.startStep();
            const { text, toolCalls: requested, tokens } = await this.callModel(conversationId, turnId, signal, { tools, preference }, partial);
            budget.addTokens(tokens);
            const admitted = budget.admitToolCalls(requested.length);
            const toolCalls = requested.slice(0, admitted);
            const assistant = this.append({
              id: newId(), conversationId, turnId, role: 'assistant', content: text, traceId, createdAt: this.deps.clock.now(),
              ...(toolCalls.length > 0 ? { toolCalls } : {}),
            });
            if (toolCalls.length === 0) {
              result.reply = assistant.content;
              span.setAttributes({ 'portcullis.turn.steps': step });
              return;
            }
            // The calls of one step run in parallel; their results are stored in the order the model asked.
            const routeInfo = route ? { intent: route.intent, confidence: route.confidence } : {};
            const records = await Promise.all(
              toolCalls.map((call) => {
                const beyond = outside(call.name);
                return this.deps.gateway.call(
                  { conversationId, turnId, modelCallId: call.id, toolName: call.name, arguments: call.arguments, ...routeInfo, ...(beyond ? { outsideRoute: beyond } : {}) },
                  signal,
                );
              }),
            );
            for (const record of records) {
              result.toolCalls.push(record);
              this.append({
                id: newId(), conversationId, turnId, role: 'tool', content: '', toolCallId: record.id, traceId, createdAt: this.deps.clock.now(),
              });
            }
            throwIfAborted(signal);
            if (admitted < requested.length) throw budget.toolCallsExceeded(requested.length, admitted);
          }
        },
        traceId,
      );
    } catch (error) {
      // A full or failing disk is said as such, whichever write of the turn it stopped.
      const reason = signal.aborted && signal.reason instanceof AppError ? signal.reason : toStorageError(error, 'the rest of this turn');
      result.error = toWireError(reason);
      // Stopped while the model was answering: what the person read stays in the conversation, marked cut short
      // (not an answer, so Retry stays offered), and the model sees it next time, rather than the reply vanishing
      // from under their eyes. A reply its server broke off is not kept: the error says so, and Retry asks for
      // the whole of it again.
      if (signal.aborted && partial.text.trim()) {
        try {
          result.reply = this.append({ id: newId(), conversationId, turnId, role: 'assistant', content: partial.text, cutShort: true, traceId, createdAt: this.deps.clock.now() }).content;
        } catch (failed) {
          console.error('the stopped reply could not be kept', failed);
        }
      }
      if (!(reason instanceof AppError)) console.error('turn failed', reason);
    } finally {
      clearTimeout(timer);
      stopSignal.removeEventListener('abort', onStop);
    }
    events.fire({ channel: 'chat.turnEnded', payload: { conversationId, turnId, traceId, error: result.error } });
    return result;
  }

  /** The tools some intent of the catalogue names: these are offered only when the route allows them. */
  private routedTools(): Set<string> {
    return new Set(this.deps.router?.catalogue.intents.flatMap((intent) => intent.tools) ?? []);
  }

  /**
   * Routes the turn's user message (as stored, secrets masked) when a router is configured, as a `route` span. It
   * is handed over by `start`: finding it read the whole conversation back from the database at every turn.
   */
  private routeTurn(request: string): Route | null {
    const { router, tracer, workspaceHas } = this.deps;
    if (!router) return null;
    return tracer.withLeafSpan('route', 'route', {}, (span) => {
      // A message that names a tool with JSON arguments is routed to that tool, whatever the classifier would say.
      const direct = parseDirectCall(request, (name) => this.deps.registry.get(name) !== undefined);
      const route = direct ? directCallRoute(direct.name) : router.route(request, workspaceHas ? { workspaceHas } : {});
      span.setAttributes({
        'portcullis.route.intent': route.intent,
        'portcullis.route.confidence': route.confidence,
        'portcullis.route.confident': route.confident,
        'portcullis.route.threshold': route.threshold,
        'portcullis.route.tools': route.tools.join(','),
        'portcullis.route.slots': Object.keys(route.slots).join(','),
        'portcullis.route.missing_slots': route.missingSlots.join(','),
      });
      return route;
    });
  }

  private callModel(
    conversationId: string,
    turnId: string,
    signal: AbortSignal,
    offer: { tools: ModelToolSpec[]; preference: ToolPreference },
    partial: { text: string },
  ): Promise<{ text: string; toolCalls: RequestedToolCall[]; tokens: number }> {
    const { tracer, model, events } = this.deps;
    return tracer.withSpan('model', `chat ${model.id}`, { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': model.id }, async (span) => {
      let text = '';
      let tokens: number | null = null;
      const toolCalls: RequestedToolCall[] = [];
      const { history, tools, use, attributes } = await this.history(conversationId, offer, turnId, signal);
      span.setAttributes(attributes);
      events.fire({ channel: 'chat.contextUsed', payload: { conversationId, turnId, use } });
      const stream = this.deps.redactor ? new StreamRedactor(this.deps.redactor) : null;
      const sendDelta = (piece: string): void => {
        if (piece) events.fire({ channel: 'chat.delta', payload: { conversationId, turnId, text: piece } });
      };
      const { whyAbsent, workspaceHas } = this.deps;
      const request = { messages: history, tools, ...(whyAbsent ? { whyAbsent } : {}), ...(workspaceHas ? { workspaceHas } : {}) };
      for await (const chunk of model.stream(request, signal)) {
        throwIfAborted(signal);
        if (chunk.type === 'finish' && chunk.usage) {
          tokens = chunk.usage.inputTokens + chunk.usage.outputTokens;
          span.setAttributes({ 'gen_ai.usage.input_tokens': chunk.usage.inputTokens, 'gen_ai.usage.output_tokens': chunk.usage.outputTokens });
        } else if (chunk.type === 'text-delta') {
          text += chunk.text;
          partial.text = text;
          sendDelta(stream ? stream.push(chunk.text) : chunk.text);
        } else if (chunk.type === 'tool-call') {
          toolCalls.push({ id: chunk.id, name: chunk.name, arguments: chunk.arguments });
        }
        span.setAttributes(usageAttributes(chunk));
      }
      if (stream) sendDelta(stream.end());
      span.captureContent('gen_ai.output.messages', text);
      span.setAttributes({ 'gen_ai.response.finish_reasons': toolCalls.length > 0 ? 'tool_calls' : 'stop', 'portcullis.model.tool_calls': toolCalls.length });
      tokens ??= history.reduce((sum, message) => sum + modelMessageTokens(message), 0) + estimateTokens(text + JSON.stringify(toolCalls));
      partial.text = ''; // the step ended: its text is stored with it
      return { text, toolCalls, tokens };
    });
  }

  /** Masks keychain secrets' values in a server's words (tool definitions) before the model is offered them. */
  private readonly maskSecrets = <T>(words: T): T => (this.deps.redactor ? this.deps.redactor.maskKnownSecrets(words) : words);

  /** What the next model step would be sent of a conversation. */
  async contextUse(conversationId: string): Promise<ContextUse> {
    // With the tools a step offers: their definitions take room too, and the meter would otherwise read larger
    // between turns than during one.
    const newest = this.deps.messages.listNewest(conversationId, 8).find((message) => message.role === 'user');
    const offer = { tools: offeredTools(this.deps.registry.list(), this.maskSecrets), preference: { request: newest?.content ?? '', routeTools: [] } };
    return (await this.history(conversationId, offer, null)).use;
  }

  /**
   * The newest turns that fit the model's context, as model messages, and how much that is: for the model span,
   * where the trace shows what the model saw, and for the chat's context meter. A model that takes images is sent
   * those of `turnId`'s results (the turn being answered).
   */
  private async history(
    conversationId: string,
    offer: { tools: ModelToolSpec[]; preference: ToolPreference },
    turnId: string | null,
    signal?: AbortSignal,
  ): Promise<{ history: ModelMessage[]; tools: ModelToolSpec[]; use: ContextUse; attributes: SpanAttributes }> {
    const { model, messages } = this.deps;
    const untrusted = this.deps.untrustedCalls?.(conversationId);
    const context = (await model.contextWindow?.(signal)) ?? null;
    // A small context gets the tools the request most likely needs, not every definition of every server.
    const offered = fitToolsToContext(offer.tools, context?.tokens ?? null, offer.preference);
    const { tools } = offered;
    const overhead = estimateTokens(SYSTEM_PROMPT + JSON.stringify(tools));
    const budget = historyBudget(context?.tokens ?? null, overhead, this.deps.historyTokens ?? DEFAULT_HISTORY_TOKENS);
    const maxResultChars = context ? maxToolResultChars(context.tokens, overhead) : undefined;
    // Measured newest first, so the request's allowance of images goes to the newest results.
    const images = model.acceptsToolImages && turnId !== null ? { turnId, allowance: new ImageAllowance() } : undefined;
    // Each message measured is converted once, and only those measured: the kept ones and one turn more.
    const converted = new Map<string, ModelMessage>();
    const cutCalls = new Map<string, ResultCut>();
    const onCut = (callId: string, cut: ResultCut): void => void cutCalls.set(callId, cut);
    const toModel = (message: Message): ModelMessage => {
      let converting = converted.get(message.id);
      if (!converting) converted.set(message.id, (converting = toModelMessages([message], { untrusted, maxResultChars, images, onCut })[0]!));
      return converting;
    };
    const fitted = fitNewestHistory(
      { newest: (count) => messages.listNewest(conversationId, count), total: () => messages.count(conversationId) },
      budget,
      (message) => modelMessageTokens(toModel(message)),
    );
    const history = answerEveryToolCall(inTurnOrder(fitted.messages).map(toModel));
    const attributes: SpanAttributes = {
      'portcullis.history.messages': fitted.messages.length,
      'portcullis.history.omitted_messages': fitted.omitted,
      'portcullis.history.tokens': fitted.tokens,
      'portcullis.history.budget_tokens': budget,
      'portcullis.history.images': history.reduce((sum, message) => sum + (message.role === 'tool' ? (message.images?.length ?? 0) : 0), 0),
    };
    // Of the results sent, not of those measured and left out with their turn.
    const cutResults = fitted.messages.flatMap(({ toolCall }) => {
      const cut = toolCall ? cutCalls.get(toolCall.id) : undefined;
      return toolCall && cut ? [{ toolCallId: toolCall.id, ...cut }] : [];
    });
    const resultsCut = cutResults.length;
    if (context) {
      Object.assign(attributes, {
        'portcullis.tools.offered': tools.length,
        'portcullis.tools.left_out': offered.leftOut.join(','),
        'portcullis.tools.descriptions_shortened': offered.shortened,
        'portcullis.model.context_tokens': context.tokens,
        'portcullis.model.context_source': context.source,
        'portcullis.history.max_result_chars': maxResultChars,
        'portcullis.history.cut_results': resultsCut,
      });
    }
    const use = { messages: fitted.messages.length, omitted: fitted.omitted, tokens: fitted.tokens, budget, overhead, context, toolsLeftOut: offered.leftOut.length, resultsCut, cutResults };
    return { history, tools, use, attributes };
  }

  private append(message: NewMessage): Message {
    const stored = this.deps.messages.append(message);
    this.deps.conversations.touch(message.conversationId, message.createdAt);
    this.deps.events.fire({ channel: 'chat.message', payload: stored });
    return stored;
  }
}

function throwIfAborted(signal: AbortSignal): void {
  if (!signal.aborted) return;
  throw signal.reason instanceof AppError ? signal.reason : new AppError('TURN_STOPPED', 'Stopped. Nothing more will run in this turn.');
}

/** The message's first line, cut; one that begins with a resource picked from the `/` list is named after it. */
function titleFrom(text: string): string {
  const line = text.trim().split('\n')[0]!;
  const resource = /^\[resource (\S+)/.exec(line);
  const title = resource ? resourceName(resource[1]!) : line;
  return title.length > 60 ? `${title.slice(0, 57)}…` : title;
}

/** `architecture.md` for `demo://resource/static/document/architecture.md`; the URI past its scheme when its end says nothing (`/1`). */
function resourceName(uri: string): string {
  const rest = uri.replace(/^[a-z][a-z0-9+.-]*:\/*/i, '');
  const last = rest.split(/[/?#]/).filter(Boolean).at(-1) ?? '';
  let name = last;
  try {
    name = decodeURIComponent(last);
  } catch {
    // a stray % stays as it is
  }
  return /\p{L}/u.test(name) ? name : rest || uri;
}
