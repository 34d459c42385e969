import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { CallToolResultSchema, ErrorCode, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { limitInWords } from '../../shared/durations';
import { AppError, messageOf, type WireError } from '../../shared/errors';
import { nestsDeeperThan } from '../../shared/json-depth';
import { traceMeta } from '../telemetry/traceparent';
import type { Tracer } from '../telemetry/tracer';
import { CallCancelledError, CallResilience, CallStoppedByCallerError, CallTimedOutForCallerError } from '../tools/call-resilience';
import { CallerTimeoutError } from '../tools/caller-timeout';
import { CallTimers } from '../tools/call-timers';
import { stripControlChars } from '../tools/output-sanitizer';
import type { ToolOutcome, ToolRunner, ToolRunOptions, ToolRunRequest } from '../tools/tool-runner';
import { describeHttpFailure, isTransientHttpFailure } from './http-status-failure';
import { inMegabytes, isOversizedAnswer, MAX_MESSAGE_BYTES, OVERSIZED_REQUEST_WORDS } from './bounded-fetch';
import { callTimeouts, isStdio } from './mcp-config';
import { callResourceMethod, isResourceMethod } from './resource-tools';
import type { McpConnection, RunningCall } from './mcp-connection';
import { mcpErrorWords } from './mcp-error-words';
import { sandboxWriteHint } from './sandbox-write-hint';
import { writtenEnvironmentPaths } from './environment-paths';
import { hiddenFolderWriteHint } from './hidden-write-hint';
import { unwritableFolders } from './unwritable-folders';
import { refusedHostNames } from '../sandbox/sandbox-command';
import { pathsNamedIn } from '../sandbox/refused-write';
import { sandboxReadHint } from './sandbox-read-hint';
import type { WriteGrantRefusal } from '../sandbox/write-grant-rules';

/** How deeply a server's answer may nest; real ones stay under a few dozen levels. */
const MAX_ANSWER_DEPTH = 256;

/** The SDK's own request timeout, unused: the call's timers (which a question to the person holds) stop it first. */
const NO_SDK_TIMEOUT = 2_147_483_647;

/** Failures that say the server itself is unwell (it dropped, or did not answer in time): they count for the breaker. */
export function isTransportFailure(error: unknown): boolean {
  if (error instanceof CallStoppedByCallerError) return false;
  // An answer too large to read is the server misbehaving, as one that drops is (it is not tried again: see isRetryable).
  if (isTransientHttpFailure(error) || isOversizedAnswer(error)) return true;
  if (error instanceof McpError) return error.code === ErrorCode.ConnectionClosed || error.code === ErrorCode.RequestTimeout;
  if (error instanceof AppError) return error.code === 'MCP_SERVER_UNAVAILABLE' || error.code === 'TOOL_TIMEOUT';
  return false;
}

/** Worth one more try on a read-only or idempotent tool: the connection dropped, or the server was restarting. */
export function isRetryable(error: unknown): boolean {
  if (isTransientHttpFailure(error)) return true;
  if (error instanceof McpError) return error.code === ErrorCode.ConnectionClosed;
  return error instanceof AppError && error.code === 'MCP_SERVER_UNAVAILABLE';
}

/**
 * Runs the tools of one MCP server through its resilience policies. The name the gateway gives is mapped back to
 * the server's own; `isRepeatable` says whether a tool may be retried (read-only or idempotent). Results are
 * marked untrusted: they come from outside the person's control.
 */
export class McpToolRunner implements ToolRunner {
  readonly resilience: CallResilience;

  constructor(
    private readonly connection: McpConnection,
    private readonly toolInfo: (name: string) => { remoteName: string; repeatable: boolean } | undefined,
    /** Records each request to the server (every attempt, so retries show) as an `mcp` span. */
    private readonly tracer?: Tracer,
    /** Why a folder is not offered as a one-click write grant (null: the Tools & servers page offers it). */
    private readonly writeGrantRefusal: (folder: string) => WriteGrantRefusal | null = () => null,
  ) {
    const config = connection.config;
    this.resilience = new CallResilience({
      target: `the ${connection.name} MCP server`,
      maxConcurrent: config.maxConcurrent,
      maxQueued: config.maxQueued,
      maxRetries: config.maxRetries,
      breakerThreshold: config.breakerThreshold,
      breakerCooldownMs: config.breakerCooldownMs,
      isTransportFailure,
      // A server dropped for malformed or oversized JSON-RPC would send the same again: that call is not repeated.
      isRetryable: (error) => isRetryable(error) && !connection.misbehaved,
    });
  }

  async run(request: ToolRunRequest, options: ToolRunOptions = {}): Promise<ToolOutcome> {
    const info = this.toolInfo(request.toolName);
    if (!info) return failure({ code: 'TOOL_NOT_FOUND', message: `The ${this.connection.name} server no longer offers ${request.toolName}.` });
    const { idleMs, totalMs } = callTimeouts(this.connection.config, info.remoteName);
    const what = request.toolName;
    const refusedBefore = new Set(this.connection.refusalLines());
    // While it runs, the server may ask the person something about it: the question names it, holds its timers.
    const context = request.context;
    const running: RunningCall = {
      timers: new CallTimers(),
      ...(context?.toolCallId ? { about: { toolCallId: context.toolCallId, toolName: request.toolName, conversationId: context.conversationId } } : {}),
    };
    const untrack = this.connection.track(running);
    let outcome: ToolOutcome;
    try {
      outcome = await this.runOnce(request, info, { idleMs, totalMs, what, running }, options);
    } finally {
      untrack();
      running.ended?.abort();
      running.timers.clear();
    }
    outcome = saysRefusedRequests(outcome, running);
    // What the sandbox refused while it ran goes to the call's trace (a refusal seen before is not this call's).
    const refusals = this.connection.refusalLines().filter((line) => !refusedBefore.has(line));
    if (refusals.length === 0) return outcome;
    // A call that failed for it says so where the person reads it: a server's own "fetch failed" names no host.
    const hosts = refusedHostNames(refusals);
    if (outcome.ok || hosts.length === 0) return { ...outcome, refusals };
    const hint = `its sandbox refused ${hosts.join(', ')}, which ${this.connection.name} may not reach; "Allow" on the Tools & servers page grants ${hosts.length === 1 ? 'it' : 'them'}`;
    return { ...outcome, error: { ...outcome.error, message: `${outcome.error.message} (${hint})` }, refusals };
  }

  private async runOnce(
    request: ToolRunRequest,
    info: { remoteName: string; repeatable: boolean },
    { idleMs, totalMs, what, running }: { idleMs: number; totalMs: number; what: string; running: RunningCall },
    options: ToolRunOptions,
  ): Promise<ToolOutcome> {
    const { timers } = running;
    try {
      const result = await this.resilience.execute(
        (deadline, attempt) =>
          this.traced(info.remoteName, running, attempt, () =>
            this.callOnce(info.remoteName, request.arguments, { idleMs, deadline, attempt, timers, caller: options.signal, what, onProgress: options.onProgress }),
          ),
        // The hard wall is the call's total limit, progress or not, queueing and retries included.
        { deadlineMs: totalMs, repeatable: info.repeatable, what, timers },
      );
      const safe = this.connection.redact(result);
      if (safe.isError) {
        const text = textOf(safe);
        const hint = this.sandboxHint(text, request.arguments);
        // The sandbox's doing and its fix first: the server's own words (a temp file's ENOENT) only say it after.
        return failure({ code: 'TOOL_FAILED', message: hint ? sandboxFirst(hint, what, text) : `${what} reported an error: ${text || 'no details given'}` });
      }
      return { ok: true, result: safe, untrusted: true };
    } catch (error) {
      const wire = this.connection.redact(this.toWire(error, what));
      // A server that throws its write's error (a JSON-RPC error, not an error result) is heard the same way.
      const hint = error instanceof McpError ? this.sandboxHint(wire.message, request.arguments) : null;
      return failure(hint ? { ...wire, message: sandboxFirst(hint, what, wire.message) } : wire);
    }
  }

  /**
   * A write its sandbox refused: the folders are noted for its row, and the error says where to grant them. Only
   * writes to paths the call's arguments or its env named count: the error text is the server's, and a hostile one
   * could otherwise have any folder it likes offered for a click. A file of the home folder its sandbox hides, named by
   * the call, is said to be hidden rather than missing.
   */
  private sandboxHint(errorText: string, args: Record<string, unknown>): string | null {
    const named = pathsNamedIn(args);
    // Its env's data file is the person's word too (mcp.json), so a write refused there is offered as one named is.
    const { config } = this.connection;
    const environment = isStdio(config) ? writtenEnvironmentPaths(config.env) : [];
    const asked = [...named, ...environment.map((e) => e.path)];
    const offered = this.connection.noteRefusedWrites(errorText, asked).filter((folder) => this.writeGrantRefusal(folder) === null);
    const { name, sandboxGrants } = this.connection;
    // Into a hidden folder of the home, its write meets "no such file": the folder its row offers is named then.
    const offeredFolders = () => (sandboxGrants ? unwritableFolders({ server: name, refused: [], named: [], environment, grants: sandboxGrants, refusal: (folder) => this.writeGrantRefusal(folder) }) : []);
    const hidden = () => hiddenFolderWriteHint(name, errorText, sandboxGrants, environment, offeredFolders().filter((f) => f.notOffered === null).map((f) => f.folder));
    return sandboxWriteHint(name, errorText, sandboxGrants, offered, named, environment) ?? hidden() ?? sandboxReadHint(name, errorText, sandboxGrants, named);
  }

  refusal(): WireError | undefined {
    return this.resilience.refusal()?.toWire();
  }

  dispose(): void {}

  /**
   * One request as an MCP client span (OpenTelemetry MCP conventions); its context is what the server receives.
   * The running call's events (a question to the person) go to the span of its attempt in flight; a retry says
   * which attempt it is.
   */
  private traced<T>(remoteName: string, running: RunningCall, attempt: number, request: () => Promise<T>): Promise<T> {
    if (!this.tracer) return request();
    const method = isResourceMethod(remoteName) ? remoteName : 'tools/call';
    const attributes = {
      'mcp.method.name': method,
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': remoteName,
      'network.transport': isStdio(this.connection.config) ? 'pipe' : 'tcp',
      'portcullis.mcp.server': this.connection.name,
      ...(attempt > 0 ? { 'portcullis.call.attempt': attempt + 1 } : {}),
    };
    return this.tracer.withSpan('mcp', method === 'tools/call' ? `tools/call ${remoteName}` : method, attributes, (span) => {
      running.traceEvent = (name, eventAttributes) => span.addEvent(name, eventAttributes);
      return request();
    });
  }

  private async callOnce(
    remoteName: string,
    args: Record<string, unknown>,
    o: { idleMs: number; deadline: AbortSignal; attempt: number; timers: CallTimers; caller?: AbortSignal; what: string; onProgress?: ToolRunOptions['onProgress'] },
  ): Promise<CallToolResult> {
    if (o.caller?.aborted) throw stoppedBy(o.caller, o.what);
    // One signal for the SDK: the person's stop, a timeout or the hard wall. The SDK then sends notifications/cancelled.
    const stop = new AbortController();
    const onCaller = (): void => stop.abort(stoppedBy(o.caller, o.what));
    const onDeadline = (): void => stop.abort(new AppError('TOOL_TIMEOUT', `${o.what} did not finish within its total limit and was stopped.`));
    o.caller?.addEventListener('abort', onCaller, { once: true });
    o.deadline.addEventListener('abort', onDeadline, { once: true });
    // The idle timeout is one of the call's own timers rather than the SDK's, so that a question to the person holds it.
    const idle = o.timers.start(o.idleMs, () => stop.abort(new AppError('TOOL_TIMEOUT', `${o.what} did not answer within ${limitInWords(o.idleMs)}; the server was told to cancel it.`)));
    try {
      // Connected, the request leaves in this turn (awaiting `ready` took one: ~3 µs in place, docs/storage.md). A retry
      // that finds the server gone says the call was under way when it went.
      const client = this.connection.connectedClient ?? (await this.connection.ready(stop.signal, o.attempt > 0, o.attempt > 0 ? `the call to ${o.what}` : undefined));
      // The trace context travels in params._meta, so a server that traces joins the turn's trace.
      const options: RequestOptions = {
        signal: stop.signal,
        timeout: NO_SDK_TIMEOUT,
        // Asking for progress also lets each notification reset the idle timeout. Its message is the server's
        // text: secrets it may echo are hidden, and control characters stripped, before anyone sees it.
        onprogress: ({ progress, total, message }) => {
          idle.reset();
          o.onProgress?.({ progress, ...(total !== undefined ? { total } : {}), ...(message ? { message: stripControlChars(this.connection.redact(message)).slice(0, 200) } : {}) });
        },
      };
      const answer = isResourceMethod(remoteName)
        ? await callResourceMethod(client, remoteName, args, options, traceMeta())
        : ((await client.callTool({ name: remoteName, arguments: args, _meta: traceMeta() }, CallToolResultSchema, options)) as CallToolResult);
      // Nested thousands deep, it overflowed the stack where it is cleaned and stored ("Maximum call stack size exceeded").
      if (nestsDeeperThan(answer, MAX_ANSWER_DEPTH)) {
        throw new AppError('TOOL_FAILED', `${o.what} failed: the ${this.connection.name} server's answer nests objects and arrays more than ${MAX_ANSWER_DEPTH} levels deep, more than Portcullis reads.`);
      }
      return answer;
    } catch (error) {
      if (o.caller?.aborted) throw stoppedBy(o.caller, o.what);
      // The SDK wraps why the call was stopped (a timeout of ours) in an McpError of its own: the reason, as said.
      if (stop.signal.aborted && stop.signal.reason instanceof AppError) throw stop.signal.reason;
      throw error;
    } finally {
      idle.clear();
      o.caller?.removeEventListener('abort', onCaller);
      o.deadline.removeEventListener('abort', onDeadline);
    }
  }

  /** A failed call as the gateway reports it. A timeout of the call's own arrives as its AppError (`callOnce`). */
  private toWire(error: unknown, what: string): WireError {
    if (error instanceof AppError) return error.toWire();
    if (error instanceof UnauthorizedError) return this.connection.signInAgain().toWire();
    if (isTransientHttpFailure(error)) return { code: 'TOOL_FAILED', message: `${what} failed: the ${this.connection.name} server ${describeHttpFailure(error, (text) => this.connection.redact(text))}.` };
    if (isOversizedAnswer(error)) {
      const { limit, bytes } = error.data;
      const size = bytes !== undefined ? ` (${inMegabytes(bytes)})` : '';
      return { code: 'TOOL_FAILED', message: `${what} failed: the ${this.connection.name} server's answer${size} was larger than the ${inMegabytes(limit)} that one JSON-RPC message may have, and Portcullis did not read it.` };
    }
    if (error instanceof McpError) {
      if (error.code === ErrorCode.ConnectionClosed) return this.connection.unavailable(`the call to ${what}`).toWire();
      return { code: 'TOOL_FAILED', message: `${what} failed on the ${this.connection.name} server: ${mcpErrorWords(error)}` };
    }
    return { code: 'TOOL_FAILED', message: `${what} failed: ${messageOf(error)}` };
  }
}

/** How a call its caller stopped ends: past the time the caller allowed, or cancelled (with the caller's words when it gave them). */
function stoppedBy(caller: AbortSignal | undefined, what: string): CallStoppedByCallerError {
  const reason: unknown = caller?.reason;
  if (reason instanceof CallerTimeoutError) return new CallTimedOutForCallerError(what, reason.limitWords);
  return new CallCancelledError(what, reason instanceof AppError && reason.code === 'TOOL_CANCELLED' ? reason.message : undefined);
}

function textOf(result: CallToolResult): string {
  return result.content
    .filter((part): part is { type: 'text'; text: string } => part.type === 'text')
    .map((part) => part.text)
    .join('\n')
    .slice(0, 2_000);
}

/**
 * A call that failed after Portcullis refused a request of the server's for its size (answered with an error) says so:
 * the server's own words for it may be anything ("could not ask the user"), or nothing.
 */
function saysRefusedRequests(outcome: ToolOutcome, running: RunningCall): ToolOutcome {
  const methods = [...new Set(running.refusedRequests ?? [])];
  if (outcome.ok || methods.length === 0 || outcome.error.message.includes(OVERSIZED_REQUEST_WORDS)) return outcome;
  const hint = `while it ran, Portcullis refused the server's ${methods.join(', ')} request unread: it was larger than the ${inMegabytes(MAX_MESSAGE_BYTES)} that one JSON-RPC message may have`;
  return { ...outcome, error: { ...outcome.error, message: `${outcome.error.message} (${hint})` } };
}

function failure(error: WireError): ToolOutcome {
  return { ok: false, error, untrusted: true };
}

/** A failure its sandbox caused, said as such with how to allow it, then what the server reported. */
function sandboxFirst(hint: string, what: string, serverText: string): string {
  return `${hint} What ${what} reported: ${serverText || 'no details given'}`;
}
