import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import type { AppEvent, EventPayload } from '../../src/shared/api/contract';
import type { ApprovalGate } from '../../src/core/approvals/approval-gate';
import type { ModelProvider } from '../../src/core/model/model-provider';
import { createRuntime, type Runtime, type RuntimePorts } from '../../src/core/runtime/create-runtime';
import { createForkLauncher } from '../../src/core/sandbox/fork-launcher';
import { WorkerToolRunner } from '../../src/core/sandbox/worker-tool-runner';
import type { CommandWrapper } from '../../src/core/mcp/launch-plan';
import type { SecretStore } from '../../src/core/secrets/secret-store';
import { builtSpanWriter, builtToolWorker } from './paths';
import { tempDir } from './temp-dir';

export interface TestRuntime {
  runtime: Runtime;
  dataDir: string;
  workspace: string;
  events: AppEvent[];
}

/** A real runtime on a temp data dir: real SQLite file, real forked tool worker, real span writer thread. Disposed when the test ends. */
export function startTestRuntime(options: { model?: ModelProvider; approvalGate?: ApprovalGate; approvalTimeoutMs?: number; dataDir?: string; workspace?: string; extraTools?: RuntimePorts['extraTools']; secretStore?: SecretStore; wrapMcpCommand?: CommandWrapper; homeDir?: string } = {}): TestRuntime {
  const dataDir = options.dataDir ?? tempDir();
  const workspace = options.workspace ?? join(dataDir, 'workspace');
  const launcher = createForkLauncher(builtToolWorker);
  const runtime = createRuntime(
    { version: 'test', dataDir, workspace, homeDir: options.homeDir ?? join(dataDir, 'home'), ...(options.approvalTimeoutMs ? { approvalTimeoutMs: options.approvalTimeoutMs } : {}) },
    {
      createToolRunner: (ws) => new WorkerToolRunner(launcher, ws),
      spanWriterEntry: builtSpanWriter,
      ...(options.model ? { model: options.model } : {}),
      ...(options.approvalGate ? { approvalGate: options.approvalGate } : {}),
      ...(options.extraTools ? { extraTools: options.extraTools } : {}),
      ...(options.secretStore ? { secretStore: options.secretStore } : {}),
      ...(options.wrapMcpCommand ? { wrapMcpCommand: options.wrapMcpCommand } : {}),
    },
  );
  const events: AppEvent[] = [];
  runtime.onDidEmit((event) => events.push(event));
  onTestFinished(() => runtime.dispose());
  return { runtime, dataDir, workspace, events };
}

/** Resolves with the payload of the next event on `channel` the runtime emits. */
export function nextEvent<C extends AppEvent['channel']>(t: TestRuntime, channel: C): Promise<EventPayload<C>> {
  return new Promise((resolve) => {
    const subscription = t.runtime.onDidEmit((event) => {
      if (event.channel === channel) {
        subscription.dispose();
        resolve(event.payload as EventPayload<C>);
      }
    });
  });
}
