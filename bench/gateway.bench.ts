/**
 * The gateway's overhead, measured side by side with the bare alternative in one run:
 * - a governed call (lookup, validation, policy, resilience, sanitizing, SQLite record, spans) to
 *   server-everything's echo vs a bare SDK `Client.callTool` to another copy of the same server, and the same
 *   call with parts of the gateway taken away, to show where the difference comes from;
 * - starting a tool worker and getting its first answer vs forking a bare Node process that answers at once;
 * - validating one call's arguments (compiled schema, cached) vs only copying them.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { FixedApprovalGate } from '../src/core/approvals/approval-gate';
import { systemClock } from '../src/core/clock';
import { McpManager } from '../src/core/mcp/mcp-manager';
import { parseMcpConfig } from '../src/core/mcp/mcp-config';
import { DefaultPolicyEngine } from '../src/core/policy/policy-engine';
import { createGovernance } from '../src/core/runtime/create-governance';
import { createForkLauncher } from '../src/core/sandbox/fork-launcher';
import { createMcpSandbox } from '../src/core/sandbox/mcp-sandbox';
import { WorkerToolRunner } from '../src/core/sandbox/worker-tool-runner';
import { workspaceScope } from '../src/core/sandbox/workspace-scope';
import { openDatabase } from '../src/core/storage/database';
import { ApprovalStore } from '../src/core/storage/stores/approval-store';
import { ConversationStore } from '../src/core/storage/stores/conversation-store';
import { ToolCallStore } from '../src/core/storage/stores/tool-call-store';
import { ArgumentValidator } from '../src/core/tools/argument-validator';
import { ToolGateway } from '../src/core/tools/tool-gateway';
import { ToolRegistry } from '../src/core/tools/tool-registry';
import { compare, report } from './harness';
import { runtimeTelemetry } from './runtime-telemetry';

const root = resolve(__dirname, '..');
const everything = join(root, 'node_modules', '.bin', 'mcp-server-everything');
const toolWorker = join(root, 'out', 'main', 'tool-worker.js');

/**
 * A gateway over MCP with its own SQLite file (`:memory:` to separate the gateway's own cost from fsync), and
 * the runtime's telemetry pipeline as create-runtime wires it: batched spans, stored (and the WAL checkpointed)
 * by the span writer thread on its own connection.
 */
async function setUp(dbFile: string, dataDir: string, sandboxed: boolean, governed = false) {
  const db = openDatabase(dbFile);
  const { telemetry, close: closeTelemetry } = runtimeTelemetry({ db, file: dbFile, dataDir });
  const registry = new ToolRegistry();
  const validator = new ArgumentValidator();
  // The runtime's governance: the shipped policy (no policy file here), taint, grants, an audit entry per decision.
  const governance = governed ? createGovernance({ db, clock: systemClock, validator, workspace: dataDir, policyFile: join(dataDir, 'absent-policy.yaml') }) : null;
  const gateway = new ToolGateway({
    registry,
    validator,
    policy: governance?.policy ?? new DefaultPolicyEngine(),
    ...(governance ? { governance: governance.approvals } : {}),
    approvals: new FixedApprovalGate('all'),
    toolCalls: new ToolCallStore(db),
    approvalStore: new ApprovalStore(db),
    tracer: telemetry.tracer,
    clock: systemClock,
    approvalTimeoutMs: 60_000,
  });
  // Sandboxed (as the runtime runs servers by default), echo — read-only — is allowed without asking; an
  // unsandboxed server asks for every call (the policy's floor), here answered at once by a fixed gate.
  const sandbox = sandboxed ? createMcpSandbox({ workspace: dataDir, dataDir: join(dataDir, 'data') }) : null;
  const mcp = new McpManager({ registry, clientVersion: 'bench', ...(sandbox ? { wrapCommand: sandbox } : {}) });
  const { servers } = parseMcpConfig({ mcpServers: { everything: sandboxed ? { command: everything } : { command: everything, sandbox: false } } });
  mcp.add('everything', servers.get('everything')!);
  await mcp.settled();
  if (mcp.status()[0]?.state !== 'connected') throw new Error(`server-everything did not start: ${mcp.status()[0]?.error}`);
  if (mcp.status()[0]?.sandboxed !== sandboxed) throw new Error(`server-everything is not ${sandboxed ? '' : 'un'}sandboxed: ${mcp.status()[0]?.sandboxNote}`);
  const now = Date.now();
  const conversation = new ConversationStore(db).create({ id: 'bench', title: 'bench', createdAt: now, updatedAt: now });
  let n = 0;
  const call = async (args: Record<string, unknown>): Promise<void> => {
    const record = await gateway.call({ conversationId: conversation.id, turnId: 'bench', modelCallId: `c${n++}`, toolName: 'everything.echo', arguments: args });
    if (record.status !== 'succeeded') throw new Error(record.error?.message);
    // Each side measures what it says: sandboxed calls are allowed without asking, unsandboxed ones ask.
    if ((record.approval !== null) === sandboxed) throw new Error(`unexpected approval ${record.approval} (rule ${record.decision?.ruleId})`);
  };
  const close = async () => (await mcp.dispose(), await sandbox?.dispose(), await closeTelemetry(), db.close());
  return { db, registry, validator, mcp, call, close };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-bench-'));
  const durable = await setUp(join(dir, 'bench.db'), dir, true);
  const inMemory = await setUp(':memory:', dir, true);
  const asking = await setUp(join(dir, 'asking.db'), dir, false);
  const governed = await setUp(join(dir, 'governed.db'), dir, true, true);
  const { registry, validator } = durable;

  const bare = new Client({ name: 'bench', version: '1' });
  await bare.connect(new StdioClientTransport({ command: everything, args: [], stderr: 'ignore' }));

  const args = { message: 'hello, gateway' };
  // Every row below is measured against the same bare call, alternating call by call.
  const againstBare = (name: string, project: () => Promise<unknown>, options: { iterations: number; goal?: string }) =>
    compare(name, project, () => bare.callTool({ name: 'echo', arguments: args }), { interleave: 'call', ...options });
  const callResult = await againstBare(
    'gateway call (allowed without asking) vs bare Client.callTool (server-everything echo)',
    () => durable.call(args),
    { iterations: 3_000, goal: 'p50 ≤ 1.15×, p99 ≤ 1.5×' },
  );
  // Where the difference comes from: the same sandboxed server through the gateway's MCP runner alone, without
  // the lookup, validation, policy, records and spans around it (this side's servers are started without a tracer).
  const echoRunner = registry.get('everything.echo')!.runner;
  const runnerResult = await againstBare(
    "same, the gateway's MCP runner alone (resilience, the sandboxed server; no policy, record or span)",
    async () => {
      const outcome = await echoRunner.run({ toolName: 'everything.echo', arguments: args }, {});
      if (!outcome.ok) throw new Error(outcome.error.message);
    },
    { iterations: 2_000 },
  );
  const inMemoryResult = await againstBare(
    'same, call records and spans in an in-memory SQLite (no fsync)',
    () => inMemory.call(args),
    { iterations: 2_000 },
  );
  const governedResult = await againstBare(
    "same, under the runtime's governance (shipped policy, taint, an audit entry per decision)",
    () => governed.call(args),
    { iterations: 2_000 },
  );
  const askingResult = await againstBare(
    'same, unsandboxed server: every call asks (approval rows, answered at once)',
    () => asking.call(args),
    { iterations: 1_000 },
  );

  // Worker start: launch the tool worker and get its first answer, vs fork a bare script that answers at once. The
  // worker pays on top for its permission model, node:fs/promises (~1 ms) and its first call's checks. Kept off its
  // start: a file per chunk it shared with the app (electron.vite.config.ts builds it as one), node:worker_threads, and
  // a /proc listing of the launcher's fds after the first start (inherited-fds.ts).
  const ws = mkdtempSync(join(tmpdir(), 'portcullis-bench-ws-'));
  const bareScript = join(dir, 'bare.js');
  writeFileSync(bareScript, "process.on('message', (m) => process.send({ type: 'result', id: m.id, ok: true, result: null }));\n");
  const launcher = createForkLauncher(toolWorker);
  const workerStart = await compare(
    'tool worker start + first call vs bare fork + first message',
    async () => {
      const runner = new WorkerToolRunner(launcher, workspaceScope(ws));
      const outcome = await runner.run({ toolName: 'fs.list', arguments: { path: '.' } }, {});
      runner.dispose();
      if (!outcome.ok) throw new Error(outcome.error.message);
    },
    () =>
      new Promise<void>((done) => {
        const child = fork(bareScript, [], { stdio: 'ignore', serialization: 'json', execArgv: [] });
        child.once('message', () => {
          child.kill('SIGKILL');
          done();
        });
        child.send({ type: 'call', id: 1 });
      }),
    { iterations: 30, rounds: 3 },
  );

  const echoTool = registry.get('everything.echo')!.definition;
  const validation = await compare(
    'argument validation (compiled schema, cached) vs copying the arguments',
    () => validator.validate(echoTool, args),
    () => structuredClone(args),
    { iterations: 20_000 },
  );

  await bare.close();
  for (const side of [durable, inMemory, asking, governed]) await side.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(ws, { recursive: true, force: true });
  report('Tool gateway', [callResult, runnerResult, inMemoryResult, governedResult, askingResult, workerStart, validation], {
    gatewayGoalMet: callResult.ratioP50 <= 1.15 && callResult.ratioP99 <= 1.5,
    validationCostMicros: validation.project.p50,
  });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
