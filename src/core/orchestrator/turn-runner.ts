import type { ContextUse } from '../../shared/domain/context-use';
import { isAnswer, type Message } from '../../shared/domain/message';
import type { ToolCallRecord } from '../../shared/domain/tool-call';
import { AppError, toWireError, type WireError } from '../../shared/errors';
import { newId, newTraceId } from '../../shared/ids';
import type { Clock } from '../clock';
import type { ConversationStore } from '../storage/stores/conversation-store';
import type { NewMessage } from '../storage/stores/message-store';
import type { ReplyDraftStore } from '../storage/stores/reply-draft-store';
import type { ToolGateway } from '../tools/tool-gateway';
import { toStorageError } from '../storage/storage-error';
import { DEFAULT_TITLE, titleFrom } from './conversation-title';
import { runModelStep, type ModelStepDeps, type PartialReply } from './model-step';
import { RepeatedRefusals } from './repeated-refusals';
import { answerAfterCallsNotRun, answerAfterStepsSpent, type AnswerStep } from './answer-step';
import { distinctCalls } from './step-calls';
import { ReplyCutAtLimit } from './reply-cut-at-limit';
import { ReplyDraftWriter } from './reply-draft-writer';
import { routedTools, routeTurn, type RouteTurnDeps } from './route-turn';
import { stepContext } from './step-context';
import { offeredTools, outsideRoute } from './tool-offer';
import type { ToolPreference } from './tool-fit';
import { defaultTurnBudget, TurnBudget, type TurnBudgetLimits } from './turn-budget';
import type { TurnClaims } from './turn-claims';
import { CLOSING, stoppedBecause, throwIfAborted } from './turn-stop';

export interface TurnResult {
  conversationId: string;
  turnId: string;
  traceId: string;
  reply: string;
  toolCalls: ToolCallRecord[];
  error: WireError | null;
}

/**
 * How the turn's approvals are asked: not at all (`unattended`), and for whom (`sentBy`, who sent its message;
 * `retriedBy`, who retried it, null for the person: see ApprovalRequest).
 */
interface TurnAsking {
  unattended: boolean;
  sentBy?: string;
  retriedBy?: string | null;
  /** The id of the message the turn answers. */
  messageId?: string;
}

export interface StartedTurn {
  turnId: string;
  traceId: string;
  userMessageId: string;
  done: Promise<TurnResult>;
}

/** What a model step and the turn's route need, and what running turns needs besides. */
export interface TurnRunnerDeps extends ModelStepDeps, RouteTurnDeps {
  gateway: ToolGateway;
  conversations: ConversationStore;
  clock: Clock;
  maxSteps: number;
  /** Tool-call, wall-time and token limits (steps come from `maxSteps`). */
  budget?: Partial<Omit<TurnBudgetLimits, 'steps'>>;
  /**
   * Told each turn's trace before its first span: spans carry no conversation id, and a private conversation's
   * must stay in memory even when the turn stores no message (a retry that fails at once).
   */
  onTurnTrace?: (conversationId: string, traceId: string) => void;
  /** Claims each turn's conversation across processes on the data folder; without it, only this runner's turns count. */
  claims?: TurnClaims;
  /** Why no turn can start now (its data folder is gone, so nothing it wrote would be kept), or null. */
  unavailable?: () => AppError | null;
  /** Where a streaming reply is drafted, so a process killed mid-reply keeps what the person read of it. */
  drafts?: ReplyDraftStore;
}

/**
 * One turn: the model and the tools take turns until the model answers in text or the step budget ends.
 * The person's message is stored before `start` returns, so an acknowledged message is never lost.
 */
export class TurnRunner {
  private readonly active = new Map<string, { turnId: string; traceId: string; controller: AbortController; done: Promise<TurnResult> }>();

  constructor(private readonly deps: TurnRunnerDeps) {}

  /**
   * `unattended`: no one waits to answer the turn's approvals (a command's --approve none), so a call the policy asks
   * about is denied at once; `author`: who sent a message the person did not type in a window of theirs ("Terminal",
   * "Local API (key "nightly")"), which the message and the turn's approvals name; `endsWith`: the turn stops, as Stop stops it, when this aborts (the connection of the
   * command that sent it and waits for it is gone: no one is left to read its answer).
   */
  start(conversationId: string, text: string, options: { unattended?: boolean; author?: string; endsWith?: AbortSignal } = {}): StartedTurn {
    const { conversations, clock } = this.deps;
    const conversation = conversations.get(conversationId);
    this.assertIdle(conversationId);
    const turnId = newId();
    const traceId = newTraceId();
    // Claimed before the message is stored: a turn another process runs here refuses it whole, nothing half-sent.
    this.deps.claims?.claim(conversationId, turnId, traceId);
    let userMessage: Message;
    try {
      userMessage = this.append({ id: newId(), conversationId, turnId, role: 'user', content: text, traceId, createdAt: clock.now(), ...(options.author ? { author: options.author } : {}) });
      if (conversation.title === DEFAULT_TITLE) conversations.rename(conversationId, titleFrom(text));
    } catch (error) {
      this.release(conversationId, turnId);
      throw error;
    }
    const started = this.launch(conversationId, turnId, traceId, userMessage.content, false, { unattended: options.unattended === true, messageId: userMessage.id, ...(options.author ? { sentBy: options.author } : {}) });
    if (options.endsWith) this.stopWhenGone(conversationId, turnId, options.endsWith, started.done);
    return { ...started, userMessageId: userMessage.id };
  }

  /**
   * Runs the conversation's last turn again when it ended without an answer (an error, Stop, a budget, a killed
   * process): a new turn that answers the same message, after what the last one did. Its model steps see that
   * work, and a call left without a result is told to the model as not finished (`answerEveryToolCall`).
   * `retriedBy`: who pressed Retry when not the person (the terminal, a key's chat.retry). The message keeps its
   * sender, and the turn's approvals say both, so a terminal's message retried by the person is not taken for theirs.
   */
  retry(conversationId: string, options: { retriedBy?: string } = {}): Omit<StartedTurn, 'userMessageId'> {
    const { conversations, messages } = this.deps;
    conversations.get(conversationId);
    this.assertIdle(conversationId);
    const last = messages.listNewest(conversationId, 1)[0];
    const requestId = last && !isAnswer(last) ? messages.userMessageOfTurn(conversationId, last.turnId) : null;
    const request = requestId ? messages.get(requestId) : undefined;
    if (!request) throw new AppError('VALIDATION_FAILED', 'The last turn of this conversation has its answer, so there is nothing to retry. Send a new message instead.');
    const turnId = newId();
    const traceId = newTraceId();
    // With its trace: no message names it until the model's first reply, and an app starting meanwhile must know it.
    this.deps.claims?.claim(conversationId, turnId, traceId);
    const retriedBy = options.retriedBy ?? null;
    // Said only when someone other than the person is in it: the person retrying their own message is their turn.
    const asking: TurnAsking = { unattended: false, messageId: request.id, ...(request.author || retriedBy ? { ...(request.author ? { sentBy: request.author } : {}), retriedBy } : {}) };
    return this.launch(conversationId, turnId, traceId, request.content, true, asking);
  }

  private assertIdle(conversationId: string): void {
    const unavailable = this.deps.unavailable?.();
    if (unavailable) throw unavailable;
    if (this.isRunning(conversationId)) {
      throw new AppError('TURN_IN_PROGRESS', 'The agent is still working on the previous message. Wait for it, or press Stop.');
    }
  }

  private launch(conversationId: string, turnId: string, traceId: string, request: string, retried: boolean, asking: TurnAsking = { unattended: false }): Omit<StartedTurn, 'userMessageId'> {
    this.deps.onTurnTrace?.(conversationId, traceId);
    // Before any of its events: every page shows it running (the sidebar's dot, Stop), whoever started it.
    this.deps.events.fire({ channel: 'chat.turnStarted', payload: { conversationId, turnId, traceId } });
    const controller = new AbortController();
    const done = this.run(conversationId, turnId, traceId, request, retried, controller.signal, asking).finally(() => {
      this.active.delete(conversationId);
      this.release(conversationId, turnId);
    });
    this.active.set(conversationId, { turnId, traceId, controller, done });
    return { turnId, traceId, done };
  }

  /** Stops this turn (not a later one in the conversation) when `gone` aborts while it runs. */
  private stopWhenGone(conversationId: string, turnId: string, gone: AbortSignal, done: Promise<unknown>): void {
    const stop = () => {
      const turn = this.active.get(conversationId);
      if (turn?.turnId === turnId) turn.controller.abort(new AppError('TURN_STOPPED', 'Stopped: the command that sent this message was closed before the turn ended. Nothing more will run in it.'));
    };
    if (gone.aborted) return stop();
    gone.addEventListener('abort', stop, { once: true });
    void done.finally(() => gone.removeEventListener('abort', stop)).catch(() => undefined);
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

  private async run(conversationId: string, turnId: string, traceId: string, request: string, retried: boolean, stopSignal: AbortSignal, { unattended, sentBy, retriedBy, messageId }: TurnAsking): Promise<TurnResult> {
    const { tracer, model, events } = this.deps;
    const result: TurnResult = { conversationId, turnId, traceId, reply: '', toolCalls: [], error: null };
    const budget = new TurnBudget({ ...defaultTurnBudget, ...this.deps.budget, steps: this.deps.maxSteps });
    // One signal for Stop and for the wall-time budget: either cancels the model stream and the running tools.
    const controller = new AbortController();
    const signal = controller.signal;
    const onStop = () => controller.abort(stoppedBecause(stopSignal.reason));
    stopSignal.addEventListener('abort', onStop, { once: true });
    if (stopSignal.aborted) onStop();
    const timer = setTimeout(() => controller.abort(budget.wallTimeExceeded()), budget.limits.wallTimeMs);
    // What the model has said so far in the step under way, for a turn stopped in the middle of it.
    const partial: PartialReply = { text: '' };
    const draft = this.deps.drafts ? new ReplyDraftWriter(this.deps.drafts, { conversationId, turnId, traceId }, partial, this.deps.clock) : null;
    if (draft) partial.changed = () => draft.changed();
    try {
      await tracer.withTrace(
        'turn',
        `invoke_agent portcullis`,
        {
          'gen_ai.operation.name': 'invoke_agent', 'gen_ai.conversation.id': conversationId, 'gen_ai.request.model': model.id,
          ...(retried ? { 'portcullis.turn.retried': true } : {}),
          ...(retriedBy ? { 'portcullis.turn.retried_by': retriedBy } : {}),
        },
        async (span) => {
          const route = routeTurn(this.deps, request);
          if (route) span.setAttributes({ 'portcullis.route.intent': route.intent, 'portcullis.route.confidence': route.confidence });
          const tools = offeredTools(this.deps.registry.list(), this.maskSecrets);
          const preference: ToolPreference = { request, routeTools: route?.tools ?? [] };
          const outside = outsideRoute(route, routedTools(this.deps.router));
          const refusals = new RepeatedRefusals();
          /** The error the last step's calls ended on, when every one of them failed. */
          let failing: string | undefined;
          /** Set once a budget allows no more calls (past the tool calls, or the last step): the next step is the model's answer. */
          let answerStep: AnswerStep | undefined;
          let repeatedCalls = 0;
          for (let step = 1; ; step++) {
            throwIfAborted(signal);
            // The answer step is one past the step budget if need be: it exists so the person gets an answer.
            if (!answerStep && budget.stepsSpent()) answerStep = answerAfterStepsSpent(budget, failing);
            if (!answerStep) budget.startStep(failing);
            // Read as the step starts: the model chosen in Settings may change before its calls are asked about.
            const plannedFromMessage = model.plansFromMessageOnly && messageId ? messageId : undefined;
            const { text, reasoning, toolCalls: asked, tokens } = await runModelStep(
              this.deps, conversationId, turnId, signal, { tools, preference }, partial, answerStep?.note,
            );
            budget.addTokens(tokens);
            if (answerStep && asked.length > 0) {
              // What it said before asking again stays as read, not as an answer (Retry stays offered).
              if (text.trim()) this.appendReply({ id: newId(), conversationId, turnId, role: 'assistant', content: text, cutShort: true, traceId, createdAt: this.deps.clock.now() });
              throw answerStep.askedAgain;
            }
            const { distinct: requested, repeats } = distinctCalls(asked);
            const admitted = budget.admitToolCalls(requested.length);
            const toolCalls = requested.slice(0, admitted);
            if (admitted < requested.length) {
              answerStep = answerAfterCallsNotRun({ requested: asked.length, repeats, ran: admitted, limit: budget.limits.toolCalls, notRun: requested.slice(admitted) });
              span.setAttributes({ 'portcullis.turn.calls_not_run': requested.length - admitted });
            }
            repeatedCalls += repeats;
            if (repeats > 0) span.setAttributes({ 'portcullis.turn.repeated_calls': repeatedCalls });
            // A step whose every call was past the budget has no call to store and is not the answer: its words alone are kept.
            if (toolCalls.length === 0 && requested.length > 0) {
              if (text.trim()) this.appendReply({ id: newId(), conversationId, turnId, role: 'assistant', content: text, traceId, createdAt: this.deps.clock.now(), ...(reasoning ? { reasoning } : {}) });
              continue;
            }
            const assistant = this.appendReply({
              id: newId(), conversationId, turnId, role: 'assistant', content: text, traceId, createdAt: this.deps.clock.now(),
              ...(toolCalls.length > 0 ? { toolCalls } : {}), ...(reasoning ? { reasoning } : {}),
              // The answer its budget asked for: the chat says the turn stopped calling tools for it.
              ...(answerStep && toolCalls.length === 0 ? { answeredAtBudget: answerStep.budget } : {}),
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
                  { conversationId, turnId, modelCallId: call.id, toolName: call.name, arguments: call.arguments, ...routeInfo, ...(beyond ? { outsideRoute: beyond } : {}), ...(unattended ? { unattended } : {}), ...(sentBy ? { sentBy } : {}), ...(retriedBy !== undefined ? { retriedBy } : {}), ...(plannedFromMessage ? { plannedFromMessage } : {}) },
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
            failing = records.every((record) => record.status === 'failed') ? (records.at(-1)?.error?.message ?? undefined) : undefined;
            const repeated = refusals.count(records);
            if (repeated) throw repeated;
          }
        },
        traceId,
      );
    } catch (error) {
      // A full or failing disk is said as such, whichever write of the turn it stopped.
      const reason = signal.aborted && signal.reason instanceof AppError ? signal.reason : toStorageError(error, 'the rest of this turn');
      result.error = toWireError(reason);
      // No draft written after what is kept below: it would be kept twice after a crash.
      draft?.stop();
      // Stopped while the model was answering: what the person read stays in the conversation, marked cut short
      // (not an answer, so Retry stays offered), and the model sees it next time, rather than the reply vanishing
      // from under their eyes. A reply its server broke off is not kept: the error says so, and Retry asks for
      // the whole of it again.
      // A reasoning model's thinking is kept too, whether or not it had begun its answer (its thinking may have
      // taken the whole length limit).
      if ((signal.aborted || reason instanceof ReplyCutAtLimit) && (partial.text.trim() || partial.reasoning?.text.trim())) {
        try {
          result.reply = this.appendReply({
            id: newId(), conversationId, turnId, role: 'assistant', content: partial.text, cutShort: true, traceId, createdAt: this.deps.clock.now(),
            ...(partial.reasoning ? { reasoning: partial.reasoning } : {}),
          }).content;
        } catch (failed) {
          console.error('the stopped reply could not be kept', failed);
        }
      }
      if (!(reason instanceof AppError)) console.error('turn failed', reason);
    } finally {
      clearTimeout(timer);
      stopSignal.removeEventListener('abort', onStop);
      if (draft) this.dropDraft(draft, conversationId);
    }
    events.fire({ channel: 'chat.turnEnded', payload: { conversationId, turnId, traceId, error: result.error } });
    return result;
  }

  /** Masks keychain secrets' values in a server's words (tool definitions) before the model is offered them. */
  private readonly maskSecrets = <T>(words: T): T => (this.deps.redactor ? this.deps.redactor.maskKnownSecrets(words) : words);

  /** What the next model step would be sent of a conversation. */
  async contextUse(conversationId: string): Promise<ContextUse> {
    // With the tools a step offers: their definitions take room too, and the meter would otherwise read larger
    // between turns than during one.
    const newest = this.deps.messages.listNewest(conversationId, 8).find((message) => message.role === 'user');
    const offer = { tools: offeredTools(this.deps.registry.list(), this.maskSecrets), preference: { request: newest?.content ?? '', routeTools: [] } };
    return (await stepContext(this.deps, conversationId, offer, null)).use;
  }

  /** A step's reply (or what the person read of it): stored in the transaction that deletes its draft. */
  private appendReply(message: NewMessage): Message {
    return this.append(message, true);
  }

  /** The turn has ended: a draft left is of a reply not kept (its server broke it off). */
  private dropDraft(draft: ReplyDraftWriter, conversationId: string): void {
    draft.stop();
    try {
      this.deps.drafts?.discard(conversationId);
    } catch (error) {
      // Kept as cut short at the next start, as a crash would have: nothing the person read is lost.
      console.error('the reply\'s draft could not be deleted', error);
    }
  }

  private append(message: NewMessage, settlesDraft = false): Message {
    const { drafts, messages } = this.deps;
    const stored = settlesDraft && drafts ? drafts.settle(message.conversationId, () => messages.append(message)) : messages.append(message);
    this.deps.conversations.touch(message.conversationId, message.createdAt);
    this.deps.events.fire({ channel: 'chat.message', payload: stored });
    return stored;
  }
}
