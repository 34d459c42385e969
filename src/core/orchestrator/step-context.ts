import type { ContextUse, ResultCut } from '../../shared/domain/context-use';
import type { Message } from '../../shared/domain/message';
import type { ModelMessage, ModelProvider, ModelToolSpec } from '../model/model-provider';
import { SYSTEM_PROMPT } from '../model/system-prompt';
import type { MessageStore } from '../storage/stores/message-store';
import type { SpanAttributes } from '../telemetry/tracer';
import { DEFAULT_HISTORY_TOKENS, fitNewestHistory, historyBudget, maxToolResultChars } from './history-window';
import { answerEveryToolCall, modelMessageTokens, toModelMessages } from './model-history';
import { fitToolsToContext, type ToolPreference } from './tool-fit';
import { ImageAllowance } from './tool-result-for-model';
import { inTurnOrder } from './turn-order';
import { estimateTokens } from './turn-budget';

export interface StepContextDeps {
  model: ModelProvider;
  messages: MessageStore;
  /** Tool call id → untrusted source, for fencing untrusted output in what the model sees. */
  untrustedCalls?: (conversationId: string) => ReadonlyMap<string, string>;
  /** The estimated tokens of past turns sent with each model call (default `DEFAULT_HISTORY_TOKENS`). */
  historyTokens?: number;
}

/** The tools a step may offer, and what the request most likely needs of them when not all fit. */
export interface ToolOffer {
  tools: ModelToolSpec[];
  preference: ToolPreference;
}

/** What one model step is sent, and how much of the context that takes. */
export interface StepContext {
  history: ModelMessage[];
  tools: ModelToolSpec[];
  use: ContextUse;
  /** For the model span: the trace shows what the model saw. */
  attributes: SpanAttributes;
}

/**
 * The newest turns that fit the model's context, as model messages, and how much that is: for the model span,
 * where the trace shows what the model saw, and for the chat's context meter. A model that takes images is sent
 * those of `turnId`'s results (the turn being answered).
 */
export async function stepContext(
  deps: StepContextDeps,
  conversationId: string,
  offer: ToolOffer,
  turnId: string | null,
  signal?: AbortSignal,
): Promise<StepContext> {
  const { model, messages } = deps;
  const untrusted = deps.untrustedCalls?.(conversationId);
  const context = (await model.contextWindow?.(signal)) ?? null;
  // A small context gets the tools the request most likely needs, not every definition of every server.
  const offered = fitToolsToContext(offer.tools, context?.tokens ?? null, offer.preference);
  const { tools } = offered;
  const overhead = estimateTokens(SYSTEM_PROMPT + JSON.stringify(tools));
  const budget = historyBudget(context?.tokens ?? null, overhead, deps.historyTokens ?? DEFAULT_HISTORY_TOKENS);
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
