import type { AppEvent, RequestHandlers } from '../../shared/api/contract';
import type { ApprovalGate } from '../approvals/approval-gate';
import { InteractiveApprovalGate } from '../approvals/interactive-approval-gate';
import { createRequestHandlers } from '../api/request-handlers';
import { systemClock, type Clock } from '../clock';
import { prepareDataPaths } from '../config/data-paths';
import { type Disposable, DisposableStore, toDisposable } from '../lifecycle/disposable';
import { Emitter } from '../lifecycle/emitter';
import { BuiltinModel } from '../model/builtin/builtin-model';
import type { ModelProvider } from '../model/model-provider';
import { TurnRunner, type StartedTurn } from '../orchestrator/turn-runner';
import { DefaultPolicyEngine } from '../policy/policy-engine';
import { openDatabase } from '../storage/database';
import { ApprovalStore } from '../storage/stores/approval-store';
import { ConversationStore } from '../storage/stores/conversation-store';
import { MessageStore } from '../storage/stores/message-store';
import { SpanStore } from '../storage/stores/span-store';
import { ToolCallStore } from '../storage/stores/tool-call-store';
import { Tracer } from '../telemetry/tracer';
import { ArgumentValidator } from '../tools/argument-validator';
import { builtinFsTools } from '../tools/builtin-fs-tools';
import { ToolGateway } from '../tools/tool-gateway';
import { ToolRegistry } from '../tools/tool-registry';
import type { ToolRunner } from '../tools/tool-runner';
import { join } from 'node:path';
import type { ToolCallRecord } from '../../shared/domain/tool-call';
import type { CommandWrapper } from '../mcp/mcp-connection';
import { McpManager } from '../mcp/mcp-manager';
import { ToolPinStore } from '../mcp/tool-pins';
import { toolCatalog } from '../mcp/tool-catalog';
import { createMcpSandbox } from '../sandbox/mcp-sandbox';
import type { SecretStore } from '../secrets/secret-store';
import { callToolDirectly, type DirectCallResult } from '../tools/direct-tool-call';
import { loadHttpFetchConfig } from '../tools/http-fetch-config';
import { HttpFetchRunner, httpFetchTool } from '../tools/http-fetch-tool';
import type { ToolDefinition } from '../tools/tool-definition';

export interface RuntimeConfig {
  version: string;
  /** Default: the platform's app-data folder. */
  dataDir?: string;
  /** Default: `<dataDir>/workspace`. */
  workspace?: string;
  /** How long an approval waits before it counts as denied. */
  approvalTimeoutMs?: number;
  maxStepsPerTurn?: number;
  /** Test-only: exact addresses http.fetch may reach despite the SSRF rules (e.g. a local test server). */
  httpFetchTestAllowedAddresses?: string[];
  /** `false` skips starting the MCP servers of `<dataDir>/mcp.json`. */
  mcp?: boolean;
}

/** The ports each host wires by hand: everything that touches the world outside the runtime. */
export interface RuntimePorts {
  /** Given the resolved workspace, the runner for built-in tools (a worker process per host). */
  createToolRunner(workspace: string): ToolRunner;
  model?: ModelProvider;
  /** Default: an interactive gate answered through `approvals.decide`. Scripts pass a fixed one. */
  approvalGate?: ApprovalGate;
  clock?: Clock;
  /** Resolves `secret:NAME` in MCP server env and headers. */
  secretStore?: SecretStore;
  /** Wraps each MCP stdio server's command in the host's OS sandbox. */
  wrapMcpCommand?: CommandWrapper;
}

export interface Runtime extends Disposable {
  readonly handlers: RequestHandlers;
  readonly paths: { dataDir: string; workspace: string; databaseFile: string };
  readonly onDidEmit: (listener: (event: AppEvent) => void) => Disposable;
  startTurn(conversationId: string, text: string): StartedTurn;
  /** The MCP servers from `<dataDir>/mcp.json`, their state and tools. */
  readonly mcp: McpManager;
  /** Every tool the gateway knows, built-in and MCP. */
  listTools(): ToolDefinition[];
  /** One call through the whole governed path, outside a model turn (for `portcullis tools call`). */
  callTool(name: string, args: unknown, signal?: AbortSignal): Promise<DirectCallResult & { record: ToolCallRecord }>;
  dispose(): Promise<void>;
}

/** Wires the runtime from its ports. Holds no logic of its own beyond the wiring. */
export function createRuntime(config: RuntimeConfig, ports: RuntimePorts): Runtime {
  const disposables = new DisposableStore();
  const clock = ports.clock ?? systemClock;
  const paths = prepareDataPaths({ dataDir: config.dataDir, workspace: config.workspace });
  const db = openDatabase(paths.databaseFile);
  disposables.add(toDisposable(() => void db.close()));

  const events = new Emitter<AppEvent>();
  disposables.add(toDisposable(() => events.clear()));
  const spans = new SpanStore(db);
  const tracer = new Tracer({ export: (finished) => spans.insert(finished) });
  const conversations = new ConversationStore(db);
  const messages = new MessageStore(db);
  const approvalStore = new ApprovalStore(db);
  approvalStore.expireOpen(clock.now());

  const interactive = new InteractiveApprovalGate(clock);
  disposables.add(interactive);
  disposables.add(interactive.onDidRequest((request) => events.fire({ channel: 'approval.requested', payload: request })));
  disposables.add(
    interactive.onDidResolve(({ request, outcome }) =>
      events.fire({ channel: 'approval.resolved', payload: { approvalId: request.id, toolCallId: request.toolCallId, outcome } }),
    ),
  );

  const runner = disposables.add(ports.createToolRunner(paths.workspace));
  const registry = new ToolRegistry();
  for (const tool of builtinFsTools) registry.register(tool, runner);
  const toolPins = new ToolPinStore(join(paths.dataDir, 'tool-pins.json'));
  const mcp = new McpManager({
    registry,
    clientVersion: config.version,
    ...(ports.secretStore ? { secrets: ports.secretStore } : {}),
    wrapCommand: ports.wrapMcpCommand ?? disposables.add(createMcpSandbox({ workspace: paths.workspace, dataDir: paths.dataDir })),
    pins: toolPins,
  });
  if (toolPins.problem) mcp.problems.push(toolPins.problem);
  disposables.add(toDisposable(() => mcp.dispose()));
  if (config.mcp !== false) mcp.startFromFile(join(paths.dataDir, 'mcp.json'));
  const fetchConfig = loadHttpFetchConfig(join(paths.dataDir, 'http-fetch.json'));
  if (fetchConfig.problem) mcp.problems.push(fetchConfig.problem);
  const fetchRunner = disposables.add(new HttpFetchRunner({ ...fetchConfig.config, testAllowedAddresses: config.httpFetchTestAllowedAddresses ?? [] }));
  registry.register(httpFetchTool, fetchRunner);
  const model = ports.model ?? new BuiltinModel();
  const gateway = new ToolGateway({
    registry,
    validator: new ArgumentValidator(),
    policy: new DefaultPolicyEngine(),
    approvals: ports.approvalGate ?? interactive,
    toolCalls: new ToolCallStore(db),
    approvalStore,
    tracer,
    clock,
    approvalTimeoutMs: config.approvalTimeoutMs ?? 120_000,
  });
  const turns = new TurnRunner({
    model, gateway, registry, conversations, messages, tracer, clock, events, maxSteps: config.maxStepsPerTurn ?? 8,
  });
  disposables.add(toDisposable(() => turns.stopAll()));

  const handlers = createRequestHandlers({
    info: { version: config.version, workspace: paths.workspace, dataDir: paths.dataDir },
    model, conversations, messages, spans, turns, approvals: interactive, clock,
    tools: { catalog: () => toolCatalog(registry, mcp), approveChange: (name) => mcp.approveChangedTool(name) },
  });

  return {
    handlers,
    paths,
    onDidEmit: events.event,
    startTurn: (conversationId, text) => turns.start(conversationId, text),
    mcp,
    listTools: () => registry.list(),
    callTool: (name, args, signal) => callToolDirectly({ gateway, conversations, tracer, clock }, name, args, signal),
    dispose: () => disposables.dispose(),
  };
}
