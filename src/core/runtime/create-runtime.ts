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
import { createFileLogger } from '../logging/logger';
import { Redactor } from '../redaction/redactor';
import { SettingsStore } from '../storage/stores/settings-store';
import { openSpanDatabase, Telemetry } from '../telemetry/telemetry';
import { ArgumentValidator } from '../tools/argument-validator';
import { builtinFsTools } from '../tools/builtin-fs-tools';
import { ToolGateway } from '../tools/tool-gateway';
import { ToolRegistry } from '../tools/tool-registry';
import type { ToolRunner } from '../tools/tool-runner';

export interface RuntimeConfig {
  version: string;
  /** Default: the platform's app-data folder. */
  dataDir?: string;
  /** Default: `<dataDir>/workspace`. */
  workspace?: string;
  /** How long an approval waits before it counts as denied. */
  approvalTimeoutMs?: number;
  maxStepsPerTurn?: number;
  /** An OTLP/HTTP collector (e.g. http://127.0.0.1:4318); overrides the stored setting. null turns export off. */
  otlpEndpoint?: string | null;
}

/** The ports each host wires by hand: everything that touches the world outside the runtime. */
export interface RuntimePorts {
  /** Given the resolved workspace, the runner for built-in tools (a worker process per host). */
  createToolRunner(workspace: string): ToolRunner;
  model?: ModelProvider;
  /** Default: an interactive gate answered through `approvals.decide`. Scripts pass a fixed one. */
  approvalGate?: ApprovalGate;
  clock?: Clock;
  /** Masks secrets before anything is stored, logged or exported; the secret store registers its values here. */
  redactor?: Redactor;
}

export interface Runtime extends Disposable {
  readonly handlers: RequestHandlers;
  readonly paths: { dataDir: string; workspace: string; databaseFile: string };
  readonly telemetry: Telemetry;
  readonly redactor: Redactor;
  readonly onDidEmit: (listener: (event: AppEvent) => void) => Disposable;
  startTurn(conversationId: string, text: string): StartedTurn;
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
  const spans = new SpanStore(openSpanDatabase(paths.databaseFile, disposables));
  const redactor = ports.redactor ?? new Redactor();
  const log = createFileLogger({ dataDir: paths.dataDir, redactor });
  disposables.add(toDisposable(() => log.close()));
  const telemetry = disposables.add(new Telemetry({
    spans, settings: new SettingsStore(db), redactor, logger: log.logger, clock,
    service: { name: 'portcullis', version: config.version }, otlpEndpoint: config.otlpEndpoint,
  }));
  const tracer = telemetry.tracer;
  const conversations = new ConversationStore(db, redactor);
  const messages = new MessageStore(db, redactor);
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
  const model = ports.model ?? new BuiltinModel();
  const gateway = new ToolGateway({
    registry,
    validator: new ArgumentValidator(),
    policy: new DefaultPolicyEngine(),
    approvals: ports.approvalGate ?? interactive,
    toolCalls: new ToolCallStore(db, redactor),
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
    model, conversations, messages, spans, turns, approvals: interactive, clock, telemetry,
  });

  return {
    handlers,
    paths,
    telemetry,
    redactor,
    // What leaves the runtime (renderer, WebSocket clients) is redacted like everything stored.
    onDidEmit: (listener) => events.event((event) => listener(redactor.redactValue(event))),
    startTurn: (conversationId, text) => turns.start(conversationId, text),
    dispose: () => disposables.dispose(),
  };
}
