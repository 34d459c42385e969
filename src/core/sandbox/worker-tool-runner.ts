import { limitInWords } from '../../shared/durations';
import { AppError, type WireError } from '../../shared/errors';
import { CallerTimeoutError } from '../tools/caller-timeout';
import type { ToolOutcome, ToolRunner, ToolRunRequest } from '../tools/tool-runner';
import { diedAtHeapLimit } from './heap-breach';
import type { WorkerHandle, WorkerLauncher } from './worker-launcher';
import type { WorkspaceScope } from './workspace-scope';
import type { FromWorkerMessage } from './worker-protocol';

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_OUTPUT_CHARS = 4 * 1024 * 1024;

export interface WorkerRunnerOptions {
  /** Wall-time limit per call, unless the call gives its own. */
  timeoutMs?: number;
  /** A result larger than this (as JSON) is refused and the worker recycled. */
  maxOutputChars?: number;
  /** Start the worker at once and again right after it dies, so calls do not wait for a process to start. */
  warm?: boolean;
}

interface PendingCall {
  worker: WorkerHandle;
  toolName: string;
  resolve(outcome: ToolOutcome): void;
  /** Resolves and recycles the worker (a limit was breached), `why` said to the calls it stops with it. */
  stop(outcome: ToolOutcome, why: string): void;
}

/**
 * Runs built-in tools in a worker process. The worker is started on first use and replaced after it dies;
 * a call that times out or is cancelled kills the worker, because its code may be stuck.
 */
export class WorkerToolRunner implements ToolRunner {
  private worker: WorkerHandle | null = null;
  private readonly pending = new Map<number, PendingCall>();
  private nextId = 1;
  private disposed = false;

  private restartDelayMs = 50;

  constructor(
    private readonly launch: WorkerLauncher,
    private readonly workspace: WorkspaceScope,
    private readonly options: WorkerRunnerOptions = {},
  ) {
    if (options.warm) this.ensureWorker();
  }

  /** Calls in flight: the pool sends new calls to the least busy worker. */
  get load(): number {
    return this.pending.size;
  }

  /** True when a worker process is up (or starting) for the next call. */
  get isWarm(): boolean {
    return this.worker !== null;
  }

  run(request: ToolRunRequest, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<ToolOutcome> {
    if (this.disposed) return Promise.resolve(failure('INTERNAL', 'The tool runner has shut down.'));
    const tool = calledAs(request.toolName);
    if (options.signal?.aborted) return Promise.resolve(stoppedBy(options.signal, tool, 'it was stopped before its worker started it'));
    const worker = this.ensureWorker();
    const id = this.nextId++;
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise<ToolOutcome>((resolve) => {
      const finish = (outcome: ToolOutcome): void => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        this.pending.delete(id);
        resolve(outcome);
      };
      const stopWorker = (outcome: ToolOutcome, why: string): void => {
        finish(outcome);
        this.killWorker(worker, `${tool}, running there too, ${why}`);
      };
      const timer = setTimeout(
        () => stopWorker(failure('TOOL_TIMEOUT', `${tool} did not finish within ${limitInWords(timeoutMs)} and was stopped.`), 'ran past its time limit'),
        timeoutMs,
      );
      const onAbort = (): void => {
        const stopped = stoppedBy(options.signal, tool, 'the tool worker running it was stopped');
        stopWorker(stopped, !stopped.ok && stopped.error.code === 'TOOL_TIMEOUT' ? 'ran past the time its caller allowed' : 'was cancelled');
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, { worker, resolve: finish, stop: stopWorker, toolName: tool });
      worker.send({ type: 'call', id, toolName: request.toolName, arguments: request.arguments });
    });
  }

  dispose(): void {
    this.disposed = true;
    if (this.worker) this.killWorker(this.worker);
  }

  private ensureWorker(): WorkerHandle {
    if (this.worker) return this.worker;
    const worker = this.launch(this.workspace);
    this.worker = worker;
    worker.onMessage((message) => this.onMessage(message));
    worker.onExit((code) => {
      if (this.worker === worker) this.worker = null;
      const stderr = worker.stderrTail();
      const tail = stderr.trim().split('\n').slice(-3).join(' | ');
      const crashed = `The tool worker stopped unexpectedly (exit code ${code ?? 'unknown'})${tail ? `: ${tail}` : ''}. It will be restarted for the next call.`;
      // V8's report of a heap breach ends in a native stack trace, whose last lines would not say what happened.
      const outOfHeap = diedAtHeapLimit(stderr);
      for (const call of [...this.pending.values()]) {
        if (call.worker !== worker) continue;
        const message = outOfHeap ? `The tool worker ran out of memory (past its heap limit) while running ${call.toolName} and was stopped. It will be restarted for the next call.` : crashed;
        call.resolve(failure('WORKER_CRASHED', message));
      }
      this.rewarm();
    });
    return worker;
  }

  /**
   * `because`: why one of its calls had it stopped. The others it was running end with it, and say so: they would
   * otherwise read as a worker that stopped unexpectedly.
   */
  private killWorker(worker: WorkerHandle, because?: string): void {
    if (this.worker === worker) this.worker = null;
    if (because) {
      for (const call of [...this.pending.values()]) {
        if (call.worker === worker) call.resolve(failure('WORKER_CRASHED', `${call.toolName} was stopped with the tool worker it ran in, which was stopped because ${because}. Call it again.`));
      }
    }
    worker.kill();
    this.rewarm();
  }

  /** Starts a replacement in the background; backs off if workers keep dying at once. */
  private rewarm(): void {
    if (!this.options.warm || this.disposed || this.worker) return;
    const delay = this.restartDelayMs;
    this.restartDelayMs = Math.min(delay * 2, 5_000);
    setTimeout(() => {
      if (!this.disposed && !this.worker) this.ensureWorker();
    }, delay).unref();
  }

  private onMessage(message: FromWorkerMessage): void {
    if (message.type !== 'result') return;
    const call = this.pending.get(message.id);
    if (!call) return;
    this.restartDelayMs = 50; // a worker that answers is healthy
    if (message.ok) {
      const limit = this.options.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS;
      const size = JSON.stringify(message.result ?? null).length;
      if (size > limit) {
        call.stop(failure('TOOL_FAILED', `${call.toolName} produced ${size} characters of output, over the limit of ${limit}; the worker was recycled.`), 'produced more output than it may');
        return;
      }
    }
    call.resolve(message.ok ? { ok: true, result: message.result } : { ok: false, error: message.error });
  }
}

/** The tool a call is of, as its caller named it: a step of one run in two calls (`fs.search:files`) is its tool's. */
function calledAs(toolName: string): string {
  return toolName.split(':')[0]!;
}

/**
 * A call its caller stopped, as the MCP runner says it: the time its caller allowed (`tools.call`'s timeoutMs), or a
 * cancel (Stop, an MCP client that cancelled or went away: its own words), and what became of it (`then`).
 */
function stoppedBy(signal: AbortSignal | undefined, tool: string, then: string): ToolOutcome {
  const reason: unknown = signal?.reason;
  if (reason instanceof CallerTimeoutError) return failure('TOOL_TIMEOUT', `${tool} timed out after ${reason.limitWords}, the time its caller allowed (timeoutMs); ${then}.`);
  const why = reason instanceof AppError && reason.code === 'TOOL_CANCELLED' ? ` ${reason.message}` : '';
  return failure('TOOL_CANCELLED', `${tool} was cancelled; ${then}.${why}`);
}

function failure(code: WireError['code'], message: string): ToolOutcome {
  return { ok: false, error: new AppError(code, message).toWire() };
}
