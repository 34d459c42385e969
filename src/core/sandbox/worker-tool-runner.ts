import { AppError, type WireError } from '../../shared/errors';
import type { ToolOutcome, ToolRunner, ToolRunRequest } from '../tools/tool-runner';
import type { WorkerHandle, WorkerLauncher } from './worker-launcher';
import type { FromWorkerMessage } from './worker-protocol';

const DEFAULT_TIMEOUT_MS = 30_000;

interface PendingCall {
  worker: WorkerHandle;
  resolve(outcome: ToolOutcome): void;
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

  constructor(
    private readonly launch: WorkerLauncher,
    private readonly workspace: string,
  ) {}

  run(request: ToolRunRequest, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<ToolOutcome> {
    if (this.disposed) return Promise.resolve(failure('INTERNAL', 'The tool runner has shut down.'));
    if (options.signal?.aborted) return Promise.resolve(failure('TOOL_FAILED', 'The call was cancelled before it started.'));
    const worker = this.ensureWorker();
    const id = this.nextId++;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise<ToolOutcome>((resolve) => {
      const finish = (outcome: ToolOutcome): void => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        this.pending.delete(id);
        resolve(outcome);
      };
      const stopWorker = (outcome: ToolOutcome): void => {
        finish(outcome);
        this.killWorker(worker);
      };
      const timer = setTimeout(
        () => stopWorker(failure('TOOL_TIMEOUT', `${request.toolName} did not finish within ${timeoutMs} ms and was stopped.`)),
        timeoutMs,
      );
      const onAbort = (): void => stopWorker(failure('TOOL_FAILED', `${request.toolName} was cancelled.`));
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, { worker, resolve: finish });
      worker.send({ type: 'call', id, toolName: request.toolName, arguments: request.arguments });
    });
  }

  dispose(): void {
    this.disposed = true;
    if (this.worker) this.killWorker(this.worker);
  }

  private ensureWorker(): WorkerHandle {
    if (this.worker) return this.worker;
    const worker = this.launch({ workspace: this.workspace });
    this.worker = worker;
    worker.onMessage((message) => this.onMessage(message));
    worker.onExit((code) => {
      if (this.worker === worker) this.worker = null;
      const tail = worker.stderrTail().trim().split('\n').slice(-3).join(' | ');
      const message = `The tool worker stopped unexpectedly (exit code ${code ?? 'unknown'})${tail ? `: ${tail}` : ''}. It will be restarted for the next call.`;
      for (const call of [...this.pending.values()]) {
        if (call.worker === worker) call.resolve(failure('WORKER_CRASHED', message));
      }
    });
    return worker;
  }

  private killWorker(worker: WorkerHandle): void {
    if (this.worker === worker) this.worker = null;
    worker.kill();
  }

  private onMessage(message: FromWorkerMessage): void {
    if (message.type !== 'result') return;
    const call = this.pending.get(message.id);
    if (!call) return;
    call.resolve(message.ok ? { ok: true, result: message.result } : { ok: false, error: message.error });
  }
}

function failure(code: WireError['code'], message: string): ToolOutcome {
  return { ok: false, error: new AppError(code, message).toWire() };
}
