import type { ToolOutcome, ToolRunner, ToolRunRequest } from '../tools/tool-runner';
import type { WorkerLauncher } from './worker-launcher';
import type { WorkspaceScope } from './workspace-scope';
import { WorkerToolRunner, type WorkerRunnerOptions } from './worker-tool-runner';

export interface WorkerPoolOptions extends Omit<WorkerRunnerOptions, 'warm'> {
  /** Worker processes kept warm. */
  size?: number;
}

/**
 * A warm pool of tool workers: each call goes to the least busy one, so a slow call does not hold up the next.
 * Every worker is started up front and replaced right after it crashes or breaches a limit (wall time, heap,
 * CPU time, output size), so a call rarely waits for a process to start.
 */
export class WorkerPool implements ToolRunner {
  private readonly workers: WorkerToolRunner[];

  constructor(launch: WorkerLauncher, workspace: WorkspaceScope, options: WorkerPoolOptions = {}) {
    const size = Math.max(1, options.size ?? 2);
    this.workers = Array.from({ length: size }, () => new WorkerToolRunner(launch, workspace, { ...options, warm: true }));
  }

  /** Workers up (or starting) right now. */
  get warmCount(): number {
    return this.workers.filter((w) => w.isWarm).length;
  }

  run(request: ToolRunRequest, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<ToolOutcome> {
    let best = this.workers[0]!;
    for (const worker of this.workers) if (worker.load < best.load || (worker.load === best.load && worker.isWarm && !best.isWarm)) best = worker;
    return best.run(request, options);
  }

  dispose(): void {
    for (const worker of this.workers) worker.dispose();
  }
}
