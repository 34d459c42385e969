import type { WireError } from '../../shared/errors';

/** Messages between the runtime and a tool worker process (child_process or Electron utilityProcess alike). */
export type ToWorkerMessage = { type: 'call'; id: number; toolName: string; arguments: Record<string, unknown> };

export type FromWorkerMessage =
  | { type: 'ready' }
  | { type: 'result'; id: number; ok: true; result: unknown }
  | { type: 'result'; id: number; ok: false; error: WireError };
