import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApprovalGate } from '../core/approvals/approval-gate';
import { createRuntime, type Runtime } from '../core/runtime/create-runtime';
import { createForkLauncher } from '../core/sandbox/fork-launcher';
import { WorkerPool } from '../core/sandbox/worker-pool';
import { KeyringSecretStore } from '../core/secrets/keyring-secret-store';

/** The built files sit next to this one in out/main: the tool worker, and the renderer one folder up. */
export const builtFiles = {
  toolWorker: join(__dirname, 'tool-worker.js'),
  spanWriter: join(__dirname, 'span-writer.js'),
  rendererDir: join(__dirname, '..', 'renderer'),
  packageJson: join(__dirname, '..', '..', 'package.json'),
};

export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(builtFiles.packageJson, 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** The runtime as plain-Node hosts (the CLI and the headless server) wire it: tools in forked worker processes. */
export function createNodeRuntime(options: { dataDir?: string; workspace?: string; approvalGate?: ApprovalGate; approvalTimeoutMs?: number; mcp?: boolean | readonly string[] }): Runtime {
  if (!existsSync(builtFiles.toolWorker)) {
    throw new Error(`The tool worker is missing at ${builtFiles.toolWorker}. Run \`npm run build\` first.`);
  }
  // RLIMIT_CPU counts over a warm worker's whole life; a worker that reaches it is replaced like any crash.
  const launcher = createForkLauncher(builtFiles.toolWorker, { maxHeapMb: 512, cpuSeconds: 900 });
  return createRuntime(
    {
      version: packageVersion(), dataDir: options.dataDir, workspace: options.workspace,
      ...(options.approvalTimeoutMs ? { approvalTimeoutMs: options.approvalTimeoutMs } : {}), ...(options.mcp !== undefined && options.mcp !== true ? { mcp: options.mcp } : {}),
    },
    {
      createToolRunner: (workspace) => new WorkerPool(launcher, workspace, { size: 2 }),
      secretStore: new KeyringSecretStore(),
      ...(existsSync(builtFiles.spanWriter) ? { spanWriterEntry: builtFiles.spanWriter } : {}),
      ...(options.approvalGate ? { approvalGate: options.approvalGate } : {}),
    },
  );
}
