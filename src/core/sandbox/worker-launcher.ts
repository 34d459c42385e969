import { realpathSync } from 'node:fs';
import type { FromWorkerMessage, ToWorkerMessage } from './worker-protocol';
import type { WorkspaceScope } from './workspace-scope';

/** A running worker process as the runtime sees it, whichever API started it. */
export interface WorkerHandle {
  send(message: ToWorkerMessage): void;
  onMessage(listener: (message: FromWorkerMessage) => void): void;
  onExit(listener: (code: number | null) => void): void;
  /** The last lines the worker wrote to stderr, for error reports. */
  stderrTail(): string;
  kill(): void;
}

/** Starts a tool worker confined to `workspace`: `child_process.fork` under Node, `utilityProcess.fork` under Electron. */
export type WorkerLauncher = (workspace: WorkspaceScope) => WorkerHandle;

/** The worker's scope as real paths (what its checks compare with), and the command-line arguments that carry it. */
export function workerArguments(workspace: WorkspaceScope): { root: string; args: string[] } {
  const root = realpathSync(workspace.root);
  return { root, args: ['--workspace', root, ...workspace.offLimits.flatMap((folder) => ['--off-limits', realpathSync(folder)])] };
}

/** Keeps the last `limit` characters written to a stream, so a crash report can show what the worker said. */
export class OutputTail {
  private text = '';
  constructor(private readonly limit = 4_000) {}
  append(chunk: Buffer | string): void {
    this.text = (this.text + chunk.toString()).slice(-this.limit);
  }
  toString(): string {
    return this.text;
  }
}
