import { asksEveryCall, type ApprovalRequest } from '../../shared/domain/approval';
import type { ToolActivity, ToolCallRecord, ToolProgress } from '../../shared/domain/tool-call';
import { AppError, type ErrorCode } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { denialMessage, ruleDenialMessage } from '../../shared/tool-call-words';
import { UNASKED } from '../../shared/approval-decider';
import type { ApprovalAnswer, ApprovalGate } from '../approvals/approval-gate';
import { toolServer, type ApprovalGovernance } from '../approvals/approval-governance';
import type { Clock } from '../clock';
import type { PolicyEngine } from '../policy/policy-engine';
import type { ApprovalStore } from '../storage/stores/approval-store';
import type { ToolCallStore } from '../storage/stores/tool-call-store';
import type { ActiveSpan, Tracer } from '../telemetry/tracer';
import type { ArgumentValidator } from './argument-validator';
import { toolAfterApproval } from './tool-after-approval';
import type { ToolRegistry } from './tool-registry';
import { sanitizeToolOutput, stripControlChars } from './output-sanitizer';
import type { ToolOutcome } from './tool-runner';
import { unknownToolMessage } from './unknown-tool-message';
import { CallerTimeoutError } from './caller-timeout';

export interface GatewayCall {
  conversationId: string;
  turnId: string;
  /** The id the model gave the call; kept as `gen_ai.tool.call.id`. */
  modelCallId: string;
  toolName: string;
  arguments: unknown;
  /** The router's intent and confidence for this turn, when a router ran. */
  intent?: string;
  confidence?: number;
  /** Why the tool is outside what the turn's route allows (the call then asks, whatever a rule says). */
  outsideRoute?: string;
  /** No other call will be made in its conversation (a script's direct call): its approval offers no allowance for it. */
  soleCall?: boolean;
  /** Its conversation is this caller's of the day (its own name): its approval says an allowance holds for the caller today. */
  callerOfTheDay?: string;
  /** Who asked for it when no model did (a script, an MCP client): its approval says who waits. */
  requestedBy?: string;
  /** Who sent the message of the turn whose model asked for it, when the person did not (the terminal, a key). */
  sentBy?: string;
  /** Who retried the turn, when its message or its retry was not the person's (null: the person retried it). */
  retriedBy?: string | null;
  /** The turn's message, when its model planned the call from it alone (the built-in model): its approval says so. */
  plannedFromMessage?: string;
  /**
   * No one waits to answer its approval (`portcullis tools call --approve none` beside the running app, a script
   * that will not wait): a call the policy asks about is denied at once, as the terminal's own `--approve none`
   * denies it, and no dialog opens. It can only refuse, never allow.
   */
  unattended?: boolean;
  /** Told the call's progress reports, as the chat is (an MCP client that made the call hears them too). */
  onProgress?: (progress: ToolProgress) => void;
}

export interface GatewayDeps {
  registry: ToolRegistry;
  validator: ArgumentValidator;
  policy: PolicyEngine;
  approvals: ApprovalGate;
  toolCalls: ToolCallStore;
  approvalStore: ApprovalStore;
  tracer: Tracer;
  clock: Clock;
  approvalTimeoutMs: number;
  /** Why a tool by this name is not offered now (held back, turned off, its server down) and its code, when MCP knows. */
  absence?: (name: string) => { code: ErrorCode; message: string } | undefined;
  /** Argument hashes, taint, edits, allowances and "always allow" rules around approvals. */
  governance?: ApprovalGovernance;
  /** Cap on one call's result as JSON characters; larger results are truncated with a notice. */
  outputCapChars?: number;
  /** Told when a call starts to run and as it reports progress (at most every PROGRESS_EVERY_MS), for the chat. */
  onActivity?: (activity: ToolActivity) => void;
}

/** The answer for a call no one waits to approve (`unattended`), saying how to have it asked instead. */
const UNATTENDED_ANSWER: ApprovalAnswer = {
  outcome: 'denied',
  note: 'denied without asking: its caller does not wait for an approval (portcullis tools call or chat --approve none, the default, or "ifAsked": "deny" in tools.call or chat.send); --approve ask (or "ifAsked": "wait") waits for the person\'s answer in Portcullis\' window',
  decidedBy: UNASKED,
};

/** Progress reports closer together than this are not passed on: the chat needs a few a second, not hundreds. */
const PROGRESS_EVERY_MS = 100;

/**
 * The one path every tool call takes: look up, validate, decide, ask if needed, run isolated. Each step is
 * recorded on the call's row and as a span; every failure comes back as data the model can read.
 */
export class ToolGateway {
  constructor(private readonly deps: GatewayDeps) {}

  call(call: GatewayCall, signal?: AbortSignal): Promise<ToolCallRecord> {
    const { tracer } = this.deps;
    return tracer.withSpan(
      'tool',
      `execute_tool ${call.toolName}`,
      { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': call.toolName, 'gen_ai.tool.call.id': call.modelCallId },
      async (span) => {
        span.captureContent('gen_ai.tool.call.arguments', call.arguments);
        const record = await this.govern(call, span, signal);
        span.captureContent('gen_ai.tool.call.result', record.result);
        span.setAttributes({ 'portcullis.tool_call.id': record.id, 'portcullis.tool_call.status': record.status });
        if (record.error) span.setError(`${record.error.code}: ${record.error.message}`);
        return record;
      },
    );
  }

  private async govern(call: GatewayCall, span: ActiveSpan, signal?: AbortSignal): Promise<ToolCallRecord> {
    const { registry, validator, policy, toolCalls, tracer, clock } = this.deps;
    const record: ToolCallRecord = {
      id: newId(),
      conversationId: call.conversationId,
      turnId: call.turnId,
      modelCallId: call.modelCallId,
      toolName: call.toolName,
      arguments: call.arguments ?? null,
      decision: null,
      approval: null,
      status: 'pending',
      error: null,
      startedAt: clock.now(),
      endedAt: null,
    };
    // The row is written when the call is decided and when it ends; 'pending' only ever lives in memory.
    let written = false;
    let durable = true;
    const save = (): void => {
      if (written) toolCalls.update(record);
      else toolCalls.insert(record);
      written = true;
    };
    const fail = (status: 'failed' | 'denied', code: ErrorCode, message: string): ToolCallRecord => {
      Object.assign(record, { status, error: { code, message }, endedAt: clock.now() });
      toolCalls.atomically(save, { durable });
      return record;
    };

    const registered = registry.get(call.toolName);
    if (!registered) {
      const absent = this.deps.absence?.(call.toolName);
      if (absent) return fail('failed', absent.code, absent.message);
      return fail('failed', 'TOOL_NOT_FOUND', unknownToolMessage(call.toolName, registry.list().map((t) => t.name)));
    }
    const { definition: tool, runner } = registered;
    const validation = validator.validate(tool, call.arguments);
    if (!validation.ok) return fail('failed', 'TOOL_ARGUMENTS_INVALID', validation.message);
    let args = validation.value;
    record.arguments = args;

    const decision = tracer.withLeafSpan('policy', `policy ${tool.name}`, { 'gen_ai.tool.name': tool.name }, (span) => {
      // The decision, its audit entry and the row are one commit. A read-only tool's decision commits without
      // an fsync (nothing was acknowledged to a person yet); a deny of one is fsynced just below, an ask is
      // by the approval's own write before anyone is asked (docs/storage.md).
      const readOnly = tool.annotations.readOnlyHint === true;
      const result = toolCalls.atomically(() => {
        const decided = policy.evaluate({
          tool, arguments: args, server: toolServer(tool), conversationId: call.conversationId, toolCallId: record.id,
          ...(call.intent !== undefined ? { intent: call.intent } : {}), ...(call.confidence !== undefined ? { confidence: call.confidence } : {}),
          ...(call.outsideRoute !== undefined ? { outsideRoute: call.outsideRoute } : {}),
          ...(call.callerOfTheDay !== undefined ? { callerOfTheDay: call.callerOfTheDay } : {}),
        });
        record.decision = decided;
        durable = !(decided.effect === 'allow' && readOnly);
        if (decided.effect === 'deny') {
          Object.assign(record, { status: 'denied', error: { code: 'POLICY_DENIED', message: ruleDenialMessage(decided.ruleId, decided.reason) }, endedAt: clock.now() });
        } else if (decided.effect === 'allow') record.status = 'running';
        save();
        return decided;
      }, { durable: !readOnly });
      if (readOnly && result.effect === 'deny') toolCalls.atomically(save);
      span.setAttributes({ 'portcullis.policy.effect': result.effect, 'portcullis.policy.rule_id': result.ruleId, 'portcullis.policy.reason': result.reason });
      return result;
    });
    if (decision.effect === 'deny') return record;

    if (decision.effect === 'ask') {
      const refused = runner.refusal?.({ toolName: tool.name, arguments: args, context: { conversationId: call.conversationId, turnId: call.turnId, toolCallId: record.id } });
      if (refused) {
        // Why the trace shows a call the policy would ask about, and no approval: it could not run anyway.
        span.addEvent('tool.refused_before_asking', { 'portcullis.refusal.code': refused.code });
        return fail('failed', refused.code, refused.message);
      }
      const now = clock.now();
      const request: ApprovalRequest = {
        id: newId(),
        conversationId: call.conversationId,
        toolCallId: record.id,
        toolName: tool.name,
        summary: tool.describeCall(args),
        arguments: args,
        annotations: tool.annotations,
        ...(tool.server && tool.description ? { serverDescription: tool.description } : {}),
        sandboxed: tool.sandboxed,
        ...(tool.offline ? { offline: true } : {}),
        decision,
        requestedAt: now,
        expiresAt: now + this.deps.approvalTimeoutMs,
        ...(call.soleCall ? { soleCall: true } : {}),
        ...(call.callerOfTheDay ? { callerOfTheDay: call.callerOfTheDay } : {}),
        ...(call.requestedBy ? { requestedBy: call.requestedBy } : {}),
        ...(call.sentBy ? { sentBy: call.sentBy } : {}),
        ...(call.retriedBy !== undefined ? { retriedBy: call.retriedBy } : {}),
        ...(call.plannedFromMessage ? { plannedFromMessage: call.plannedFromMessage } : {}),
      };
      const governance = this.deps.governance;
      // Its audit entry, the row ('awaiting_approval', which the approvals list reads) and the approval are one
      // fsynced commit, on disk before anyone is asked.
      const prepared = toolCalls.atomically(() => {
        const ready = governance ? governance.prepare(request, tool, args) : request;
        record.status = 'awaiting_approval';
        save();
        this.deps.approvalStore.insert({ id: ready.id, toolCallId: record.id, conversationId: ready.conversationId, requestedAt: ready.requestedAt, expiresAt: ready.expiresAt });
        return ready;
      });
      const answer = await this.askPerson(record, prepared, signal, call.unattended === true);
      const settled = governance ? governance.settle(prepared, answer, tool, args) : { ok: true as const, arguments: args };
      if (!settled.ok) return fail('denied', settled.code, settled.message);
      // Approved with an allowance for its later calls (none holds for a call that asks each time): its card says
      // what that covers as the button did, "approved by you for claude-code today" in a caller's conversation of the day.
      if (governance && answer.outcome === 'approved' && answer.choice === 'allow_conversation' && !asksEveryCall(tool)) {
        record.allowedFor = call.callerOfTheDay === undefined ? 'this conversation' : `${call.callerOfTheDay} today`;
      }
      // Approved with "Always allow…": its card names the rule made, revocable under Policies, as the Policies page lists it.
      if (settled.ruleId) record.allowedFor = `calls like it from now on (rule ${settled.ruleId})`;
      if (answer.outcome === 'approved' && settled.arguments !== args) {
        args = settled.arguments;
        record.arguments = args;
      }
      if (answer.decidedBy === 'stop') {
        // The turn's signal says why it stopped: the person (TURN_STOPPED), Portcullis closing (TOOL_INTERRUPTED), or
        // what else ended it (its data folder gone, its time budget), which the call keeps, not put down to the person.
        const reason = signal?.reason instanceof AppError ? signal.reason : null;
        if (reason?.code === 'TOOL_INTERRUPTED') return fail('denied', 'TOOL_INTERRUPTED', `${tool.name} did not run: Portcullis was closing while it waited for your approval.`);
        // A script or an MCP client that called it directly stopped waiting (no turn took part): its words say who.
        if (reason?.code === 'TOOL_CANCELLED') return fail('denied', reason.code, `${tool.name} did not run: it was cancelled while it waited for your approval. ${reason.message}`);
        // Its caller's own time limit (tools.call's timeoutMs) passed: no turn ended.
        if (reason instanceof CallerTimeoutError) return fail('denied', reason.code, `${tool.name} did not run: it took longer than the ${reason.limitWords} its caller allowed (timeoutMs) while it waited for your approval, so it was cancelled.`);
        if (reason && reason.code !== 'TURN_STOPPED') return fail('denied', reason.code, `${tool.name} did not run: the turn ended while it waited for your approval. ${reason.message}`);
        // A script's or an MCP client's call (no turn of the agent's): its caller reads this too.
        if (call.requestedBy) return fail('denied', 'TURN_STOPPED', `${tool.name} did not run: Stop was pressed in Portcullis while it waited for your approval.`);
        return fail('denied', 'TURN_STOPPED', `${tool.name} did not run: the turn was stopped while it waited for your approval.`);
      }
      if (answer.outcome !== 'approved') {
        return answer.outcome === 'timed_out'
          ? fail('denied', 'APPROVAL_TIMEOUT', `No one approved ${tool.name} in time, so it was denied.`)
          : fail('denied', 'APPROVAL_REJECTED', denialMessage(tool.name, answer.note, answer.decidedBy));
      }
    }

    if (record.status !== 'running') {
      record.status = 'running';
      toolCalls.update(record);
    }
    const onProgress = this.reportActivity(record, call.onProgress);
    // Its server restarted while the person decided (a grant made as the approval's sandbox warning says to): the
    // restarted server runs it, where the stopped one's runner failed it as cut short by the restart.
    const { runner: running } = decision.effect === 'ask' ? toolAfterApproval(registry, registered) : registered;
    const outcome = await tracer.withSpan('sandbox', `sandbox ${tool.name}`, { 'portcullis.sandbox.kind': tool.server ? 'mcp-server' : 'worker-process', 'portcullis.tool.server': tool.server }, async (span) => {
      const context = { conversationId: call.conversationId, turnId: call.turnId, toolCallId: record.id };
      const result: ToolOutcome = await running.run({ toolName: tool.name, arguments: args, context }, { signal, ...(onProgress ? { onProgress } : {}) });
      // With its code, as the tool step's: a cancelled call's sandbox step reads as stopped, not as an error.
      if (!result.ok) span.setError(`${result.error.code}: ${result.error.message}`);
      if (result.refusals) span.addEvent('sandbox.refused', { 'portcullis.sandbox.refusals': result.refusals.join('\n') });
      return result;
    });
    // Marked untrusted (tools call --json, /mcp's _meta, the export's label) as it taints: a server whose output the
    // person trusts only when what its call reached tainted it (a web address, a file outside the trusted folders).
    const marked = (tainted: boolean) => {
      if (outcome.untrusted && (tool.outputTrusted !== true || tainted)) record.untrusted = true;
    };
    if (!outcome.ok) {
      Object.assign(record, { status: 'failed', error: { code: outcome.error.code, message: errorWords(outcome.error.message, toolCalls) }, endedAt: clock.now() });
      // An untrusted runner's error is its server's words too (an MCP tool's isError text): it taints as a result would.
      toolCalls.atomically(() => {
        marked(outcome.untrusted === true && this.deps.governance?.observe(call.conversationId, record.id, tool, args, true) === true);
        save();
      }, { durable });
      return record;
    }
    const output = sanitizeToolOutput(outcome.result, this.deps.outputCapChars, (text) => toolCalls.masked(text));
    Object.assign(record, { status: 'succeeded', result: output.value, endedAt: clock.now() });
    // The end, and the taint its result brings (a source row and its audit entry), are one commit. Relaxed
    // with the rest of a read-only call: the tool message that later carries this result into the conversation
    // is fsynced after it, so the taint survives whenever the content it warns about does (docs/storage.md).
    toolCalls.atomically(() => {
      marked(this.deps.governance?.observe(call.conversationId, record.id, tool, args, outcome.untrustedSource ?? outcome.untrusted === true) === true);
      save();
    }, { durable });
    return record;
  }

  /** Says the call runs now, and returns what passes its progress on (throttled); nothing without a listener. */
  private reportActivity(record: ToolCallRecord, onCallProgress: ((progress: ToolProgress) => void) | undefined): ((progress: ToolProgress) => void) | undefined {
    const { onActivity, clock } = this.deps;
    if (!onActivity && !onCallProgress) return undefined;
    const activity = (progress: ToolProgress | null): ToolActivity => ({ conversationId: record.conversationId, turnId: record.turnId, callId: record.id, toolName: record.toolName, progress });
    onActivity?.(activity(null));
    let last = -Infinity;
    let lastComplete = false;
    return (progress) => {
      const now = clock.now();
      // A call's last report ("5 of 5") is passed on at once; a server that says every report is its last (n of n,
      // thousands a second) is throttled as any other.
      const complete = progress.progress === progress.total;
      if (now - last < PROGRESS_EVERY_MS && !(complete && !lastComplete)) return;
      last = now;
      lastComplete = complete;
      onActivity?.(activity(progress));
      onCallProgress?.(progress);
    };
  }

  private askPerson(record: ToolCallRecord, request: ApprovalRequest, signal: AbortSignal | undefined, unattended: boolean) {
    const { approvals, approvalStore, tracer, clock } = this.deps;
    return tracer.withSpan('approval', `approval ${request.toolName}`, { 'portcullis.approval.id': request.id }, async (span) => {
      span.addEvent('approval.requested', { 'portcullis.approval.expires_at': request.expiresAt });
      const answer = unattended ? UNATTENDED_ANSWER : await approvals.request(request, signal);
      approvalStore.decide(request.id, answer.outcome, clock.now(), answer.note ?? null, answer.decidedBy ?? null);
      record.approval = answer.outcome;
      if (answer.decidedBy) record.decidedBy = answer.decidedBy;
      span.setAttributes({ 'portcullis.approval.outcome': answer.outcome, 'portcullis.approval.decided_by': answer.decidedBy, 'portcullis.approval.note': answer.note });
      span.addEvent('approval.decided', { 'portcullis.approval.outcome': answer.outcome });
      return answer;
    });
  }
}

/** The most of a failed call's error kept on its row and handed to the model. */
const MOST_ERROR_CHARS = 4_000;

/**
 * A failed call's error, cleaned and cut to `MOST_ERROR_CHARS`. One longer than that has its secrets masked before
 * the cut, as the store would mask them after it: a secret across the cut was no longer found whole, and all but its
 * tail was stored. A shorter one is kept as it is, as a result is, for the store to mask.
 */
function errorWords(message: string, toolCalls: ToolCallStore): string {
  const clean = stripControlChars(message);
  return clean.length > MOST_ERROR_CHARS ? toolCalls.masked(clean).slice(0, MOST_ERROR_CHARS) : clean;
}
