import type { AppEvent, RequestHandlers } from '../../shared/api/contract';
import type { ApprovalGate } from '../approvals/approval-gate';
import { decliningAsker, ElicitationGate } from '../approvals/elicitation-gate';
import { InteractiveApprovalGate } from '../approvals/interactive-approval-gate';
import { createRequestHandlers } from '../api/request-handlers';
import { ApiKeyService } from '../auth/api-keys';
import { callerTraceAccess } from '../auth/request-principal';
import { LocalApiControl } from '../auth/local-api-control';
import { systemClock, type Clock } from '../clock';
import { type DataPaths, prepareDataFolder, withWorkspace } from '../config/data-paths';
import { chosenWorkspace, resolveWorkspace, WorkspaceChoice } from '../config/workspace-choice';
import { type Disposable, DisposableStore, toDisposable } from '../lifecycle/disposable';
import { Emitter } from '../lifecycle/emitter';
import { BuiltinModel } from '../model/builtin/builtin-model';
import type { ModelProvider } from '../model/model-provider';
import { ModelSettingsService } from '../model/model-settings-service';
import { SwitchableModel } from '../model/switchable-model';
import { RedactingSecretStore } from '../secrets/redacting-secret-store';
import type { SecretStore } from '../secrets/secret-store';
import { StoredSecretScrubs } from '../secrets/stored-secret-scrubs';
import { announceSecretsChanged } from '../secrets/secrets-changed-signal';
import { watchSecretsStoredElsewhere } from '../secrets/secrets-stored-elsewhere';
import { scrubStoredSecretsAfterStart, type StartUpScrubOutcome } from '../secrets/start-up-secret-scrub';
import { rowsScrubbed, scrubStoredSecrets } from '../storage/scrub/stored-secret-scrubber';
import { claimDataFolder, folderOwnerGone } from './data-folder-owner';
import { RuntimeNotices } from './runtime-notices';
import { crossProcessTurnClaims, turnsRunningElsewhere } from './cross-process-turn-claims';
import { directTurnClaims } from './direct-turn-claims';
import { endPreviousRun, endTurnOfEndedProcess, sweepEndedTurns } from './ended-process-turns';
import { holdRuntimeInstance, type RuntimeInstance } from './runtime-instance';
import type { EndedTurn } from '../storage/stores/tool-call-store';
import { TurnClaimStore } from '../storage/stores/turn-claim-store';
import { McpSessionStore } from '../storage/stores/mcp-session-store';
import { watchDatabaseFile } from '../storage/database-file-watch';
import { TurnRunner, type StartedTurn } from '../orchestrator/turn-runner';
import { defaultIntentRouter } from '../router/default-router';
import { openDatabase } from '../storage/database';
import { ApiKeyStore } from '../storage/stores/api-key-store';
import { createMemoryHandlers } from '../memory/memory-handlers';
import { MemoryStore } from '../memory/memory-store';
import { MemoryToolRunner } from '../memory/memory-tool-runner';
import { indexResultsInBackground } from '../memory/background-result-indexing';
import { SearchIndex } from '../memory/search-index';
import type { AuditSink } from '../retention/audit-sink';
import { retentionAuditSink } from '../audit/retention-audit-sink';
import type { GrantFileAuditOptions } from '../audit/grant-file-audit';
import { elicitationAnsweredEntry } from '../audit/elicitation-audit-entry';
import { RetentionService } from '../retention/retention-service';
import { scheduleRetention } from '../retention/retention-scheduler';
import { SettingsStore } from '../storage/stores/settings-store';
import { PrivateSpace } from '../storage/private/private-space';
import {
  RoutedApprovalStore, RoutedConversationGrantStore, RoutedConversationStore, RoutedMessageStore, RoutedReplyDraftStore, RoutedSpanStore, RoutedToolCallStore,
} from '../storage/private/routed-stores';
import { createFileLogger } from '../logging/logger';
import { Redactor } from '../redaction/redactor';
import { Telemetry } from '../telemetry/telemetry';
import { openTraceStorage } from '../storage/traces/trace-storage';
import { ArgumentValidator } from '../tools/argument-validator';
import { fsReadTool } from '../tools/builtin-fs-tools';
import { builtinTools } from '../tools/builtin-tools';
import { ReadableSearchRunner } from '../tools/readable-search-runner';
import { WatchedFile } from '../config/watched-file';
import { ToolGateway } from '../tools/tool-gateway';
import { ToolRegistry } from '../tools/tool-registry';
import { createGovernance } from './create-governance';
import type { ToolRunner } from '../tools/tool-runner';
import { homedir } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ToolCallRecord } from '../../shared/domain/tool-call';
import type { CommandWrapper } from '../mcp/launch-plan';
import { takeUpMcpFile } from '../mcp/mcp-file-take-up';
import { McpConfigEditor } from '../mcp/mcp-config-editor';
import { McpManager } from '../mcp/mcp-manager';
import { ServerSampling } from '../mcp/server-sampling';
import { OAuthCallbackServer } from '../mcp/oauth/oauth-callback-server';
import { McpImport } from '../mcp/import/mcp-import';
import { ToolPinStore } from '../mcp/tool-pins';
import { ComposerCatalog } from '../mcp/composer-catalog';
import { toolCatalog } from '../mcp/tool-catalog';
import { createMcpSandbox } from '../sandbox/mcp-sandbox';
import { writeGrantRefusal } from '../sandbox/write-grant-rules';
import { workspaceScope, type WorkspaceScope } from '../sandbox/workspace-scope';
import { callToolDirectly, terminalCaller, type DirectCallResult } from '../tools/direct-tool-call';
import { governedDirectCall, type GovernedDirectCallOptions } from '../tools/governed-direct-call';
import { DirectCallsUnderway } from '../tools/direct-calls-underway';
import { recordRefusedCall, type RefusedCall } from '../tools/refused-call-record';
import { localApiCaller } from '../tools/direct-callers';
import { CallerConversations, directCallerKey } from '../tools/caller-conversations';
import { callerLabel, callerNameFirst } from '../auth/caller-label';
import { currentPrincipal } from '../auth/request-principal';
import { catalogFor } from '../auth/catalog-access';
import { requestSignal } from '../api/request-signal';
import type { DirectCallInput, DirectCallOutcome } from '../../shared/domain/direct-call';
import { loadHttpFetchConfig } from '../tools/http-fetch-config';
import { takeUpHttpFetchFile } from '../tools/http-fetch-file-take-up';
import { unknownToolOutcome } from '../tools/unknown-tool-message';
import { HttpFetchConfigEditor } from '../tools/http-fetch-config-editor';
import { HttpFetchRunner } from '../tools/http-fetch-tool';
import type { ToolDefinition } from '../tools/tool-definition';

export interface RuntimeConfig {
  version: string;
  /** Default: the platform's app-data folder. */
  dataDir?: string;
  /** The `--workspace` flag: wins over the folder chosen in Settings. Default: that folder, else `<dataDir>/workspace`. */
  workspace?: string;
  /** How long an approval waits before it counts as denied. */
  approvalTimeoutMs?: number;
  maxStepsPerTurn?: number;
  /** The person's policy file. Default: `<dataDir>/policy.yaml` (the shipped default applies while it is absent). */
  policyFile?: string;
  /** 'enforce' (default): each turn is routed and offered only its intent's tools. 'off': every tool. */
  routing?: 'enforce' | 'off';
  /** An OTLP/HTTP collector (e.g. http://127.0.0.1:4318); overrides the stored setting. null turns export off. */
  otlpEndpoint?: string | null;
  /** Test-only: exact addresses http.fetch may reach despite the SSRF rules (e.g. a local test server). */
  httpFetchTestAllowedAddresses?: string[];
  /** `false` skips starting the MCP servers of `<dataDir>/mcp.json`; a list starts only the servers so named. */
  mcp?: boolean | readonly string[];
  /** Where other apps' MCP configs are looked for, to import their servers. Default: the person's home folder. */
  homeDir?: string;
}

/** The ports each host wires by hand: everything that touches the world outside the runtime. */
export interface RuntimePorts {
  /** Given the resolved workspace (and the data folder it must not touch), the runner for built-in tools (a worker process per host). */
  createToolRunner(workspace: WorkspaceScope): ToolRunner;
  /** A fixed model (tests, scripts); without one, the model chosen in Settings (the built-in one by default). */
  model?: ModelProvider;
  /** Default: an interactive gate answered through `approvals.decide`. Scripts pass a fixed one. */
  approvalGate?: ApprovalGate;
  clock?: Clock;
  /** The OS keychain (provider keys, MCP credentials). Absent: secrets cannot be set (Settings says why). */
  secretStore?: SecretStore;
  /** Tools beyond the built-ins, each with its runner (tests, and hosts that bring their own). */
  extraTools?: ReadonlyArray<{ definition: ToolDefinition; runner: ToolRunner }>;
  /** Where retention cuts are recorded. Default: the audit hash chain. */
  audit?: AuditSink;
  /** Masks secrets before anything is stored, logged or exported; the secret store registers its values here. */
  redactor?: Redactor;
  /** Wraps each MCP stdio server's command in the host's OS sandbox. */
  wrapMcpCommand?: CommandWrapper;
  /** The built span writer thread (out/main/span-writer.js). Absent: spans are stored, and the WAL checkpointed, on the main thread. */
  spanWriterEntry?: string;
}

export interface Runtime extends Disposable {
  readonly handlers: RequestHandlers;
  readonly paths: DataPaths;
  /** Local API keys (hashes in SQLite), checked by the API hosts. */
  readonly apiKeys: ApiKeyService;
  /** The `/mcp` sessions kept across a restart of Portcullis, for the API hosts. */
  readonly mcpSessions: McpSessionStore;
  /** This process, as the other Portcullis processes on the data folder tell it apart and whether it still runs. */
  readonly instance: RuntimeInstance;
  readonly secretStore: SecretStore | null;
  /** Each secret stored is masked where the data folder already held it, in the background. */
  readonly secretScrubs: StoredSecretScrubs;
  /** The keychain's values masked where an older Portcullis stored them, once per data folder, after the start. */
  readonly startUpScrub: Promise<StartUpScrubOutcome>;
  /** Whether the person turned on the desktop app's local API; the Electron host acts on it. */
  readonly localApi: LocalApiControl;
  readonly telemetry: Telemetry;
  readonly redactor: Redactor;
  readonly onDidEmit: (listener: (event: AppEvent) => void) => Disposable;
  /** False when another Portcullis (the app, a `serve`) runs on the data folder and owns it. */
  readonly ownsDataFolder: boolean;
  startTurn(conversationId: string, text: string): StartedTurn;
  /** Runs the conversation's last turn again, when it ended without an answer. */
  retryTurn(conversationId: string): Omit<StartedTurn, 'userMessageId'>;
  /** The MCP servers from `<dataDir>/mcp.json`, their state and tools. */
  readonly mcp: McpManager;
  /** Every tool the gateway knows, built-in and MCP. */
  listTools(): ToolDefinition[];
  /** One call through the whole governed path, outside a model turn (for `portcullis tools call`). */
  callTool(name: string, args: unknown, signal?: AbortSignal): Promise<DirectCallResult & { record: ToolCallRecord }>;
  /** The same path for a script through the local API (`tools.call`) or an MCP client: its outcome as data, secrets masked. */
  callGoverned(input: DirectCallInput, options: GovernedDirectCallOptions): Promise<DirectCallOutcome>;
  /** An MCP client's call refused before it ran (a tool outside its key's list), on the audit chain. */
  recordRefusedCall(refused: RefusedCall): void;
  dispose(): Promise<void>;
}

/** Wires the runtime from its ports. Holds no logic of its own beyond the wiring. */
export function createRuntime(config: RuntimeConfig, ports: RuntimePorts): Runtime {
  const disposables = new DisposableStore();
  const clock = ports.clock ?? systemClock;
  const folder = prepareDataFolder(config.dataDir);
  const db = openDatabase(folder.databaseFile);
  disposables.add(toDisposable(() => void db.close()));
  const settings = new SettingsStore(db);
  // The folder chosen in Settings is stored in the database: the workspace is resolved once it is open.
  const workspace = resolveWorkspace({ flag: config.workspace, chosen: chosenWorkspace(settings), dataDir: folder.dataDir });
  const paths = withWorkspace(folder, workspace.path);

  const events = new Emitter<AppEvent>();
  disposables.add(toDisposable(() => events.clear()));
  const privateSpace = new PrivateSpace();
  disposables.add(privateSpace);
  const redactor = ports.redactor ?? new Redactor();
  const log = createFileLogger({ dataDir: paths.dataDir, redactor });
  disposables.add(toDisposable(() => log.close()));
  const notices = new RuntimeNotices(log.logger, events);
  if (workspace.problem) log.logger.warn({ event: 'workspace.unavailable' }, workspace.problem);
  // Spans have their own file, stored (and both WALs checkpointed) by their own thread, off the path of tool calls.
  const traces = openTraceStorage({
    mainDb: db, mainFile: paths.databaseFile, tracesFile: paths.tracesFile,
    ...(ports.spanWriterEntry ? { spanWriterEntry: ports.spanWriterEntry } : {}),
    onDropped: (count, message) => telemetry.storeFailed(count, new Error(message)),
    onProblem: (message) => log.logger.warn({ event: 'spans.storage' }, message),
  }, disposables);
  if (traces.moved > 0) log.logger.info({ event: 'spans.moved', count: traces.moved }, `moved ${traces.moved} spans to ${paths.tracesFile}`);
  const spans = new RoutedSpanStore(traces.db, privateSpace, traces.writer);
  const secretStore = ports.secretStore
    ? new RedactingSecretStore(ports.secretStore, redactor, (name, value) => {
        secretScrubs.stored(name, value);
        // Every other Portcullis on the folder masks the new value from now on too.
        announceSecretsChanged(paths.dataDir);
        secretsChanged.seen();
      })
    : null;
  const registerSecrets = (): Promise<void> | undefined => secretStore?.registerExisting((error) => log.logger.warn({ event: 'secrets.unreadable', message: (error as Error).message }));
  const keychainRead = registerSecrets();
  const secretsChanged = disposables.add(watchSecretsStoredElsewhere({
    dataDir: paths.dataDir, secretStore, register: registerSecrets, privateSpace: privateSpace.db, closing: () => closing, logger: log.logger,
  }));
  const telemetry = disposables.add(new Telemetry({
    spans, settings, redactor, logger: log.logger, clock,
    service: { name: 'portcullis', version: config.version }, otlpEndpoint: config.otlpEndpoint,
  }));
  const tracer = telemetry.tracer;
  // A value typed in a chat (or said back by a server) before it was stored as a secret is masked where it was kept.
  const secretScrubs = disposables.add(new StoredSecretScrubs({
    scrub: async (values) => {
      const report = await scrubStoredSecrets({ main: db, traces: traces.db, privateSpace: privateSpace.db, dataDir: paths.dataDir, settleSpans: () => telemetry.settle() }, values);
      // An "Always allow" rule masked by it is turned off: the policy in force stops applying it now.
      if (report.rows.policy_user_rules) governance.policy.refreshUserRules();
      return report;
    },
    // Counts only: never the value, nor which secret it was.
    onScrubbed: (report) => log.logger.info({ event: 'secrets.scrubbed', rows: report.rows, exports: report.exports, toolPins: report.toolPins, walsEmptied: report.walsEmptied, ms: report.ms }, `masked a stored secret in ${rowsScrubbed(report)} rows`),
    onFailed: (error) => log.logger.warn({ event: 'secrets.scrub_failed', message: (error as Error).message }, 'a stored secret could not be masked where it was kept; portcullis secrets scrub tries again'),
  }));
  const conversations = new RoutedConversationStore(db, privateSpace, () => retention.settings.privateChats, redactor);
  const messages = new RoutedMessageStore(db, privateSpace, redactor);
  const drafts = new RoutedReplyDraftStore(db, privateSpace, redactor);
  const approvalStore = new RoutedApprovalStore(db, privateSpace);
  const toolCalls = new RoutedToolCallStore(db, privateSpace, redactor);
  // What a previous run left open is ended by the folder's owner only: a `portcullis` command run beside the app
  // would otherwise end the app's approvals and calls under way.
  const claim = claimDataFolder(paths.dataDir);
  disposables.add(toDisposable(() => claim.release()));
  // Other processes on the folder tell by this whether a turn this one claimed still runs (released after the turns end).
  const instance = holdRuntimeInstance(paths.dataDir);
  disposables.add(toDisposable(() => instance.release()));
  const turnClaimStore = new TurnClaimStore(db);
  const endedTurnStores = { toolCalls, approvals: approvalStore, messages, drafts, ...turnsRunningElsewhere(turnClaimStore, instance), spans, clock, logger: log.logger };
  if (claim.owner) endPreviousRun(endedTurnStores);
  const localApi = new LocalApiControl(settings, clock);

  const approvalTimeoutMs = config.approvalTimeoutMs ?? 120_000;
  const interactive = new InteractiveApprovalGate(clock, redactor);
  disposables.add(interactive);
  disposables.add(interactive.onDidRequest((request) => events.fire({ channel: 'approval.requested', payload: request })));
  disposables.add(
    interactive.onDidResolve(({ request, outcome }) =>
      events.fire({ channel: 'approval.resolved', payload: { approvalId: request.id, toolCallId: request.toolCallId, outcome } }),
    ),
  );

  // MCP servers' questions to the person. Scripts (a fixed approval gate) have no one to answer, and decline them.
  const elicitations = disposables.add(new ElicitationGate(clock, approvalTimeoutMs, (value) => redactor.redactValue(value)));
  disposables.add(elicitations.onDidRequest((request) => events.fire({ channel: 'elicitation.requested', payload: request })));
  disposables.add(
    elicitations.onDidResolve(({ request, action, by }) => events.fire({ channel: 'elicitation.resolved', payload: { elicitationId: request.id, action, by } })),
  );

  const runner = disposables.add(ports.createToolRunner(workspaceScope(paths.workspace, paths.dataDir)));
  const registry = new ToolRegistry();
  // A search's lines, from files the policy would not let fs.read read without asking, are withheld.
  const searchRunner = new ReadableSearchRunner(runner, (path) => governance.policy.evaluate({ tool: fsReadTool, arguments: { path }, server: 'builtin' }).effect === 'allow');
  const memories = new MemoryStore(db, redactor);
  const search = new SearchIndex(db);
  // What tools return is indexed for search off every call's path, a batch at a time (migration 17).
  disposables.add(
    indexResultsInBackground(search.toolResults, (error) =>
      log.logger.warn({ event: 'search.index_failed', message: (error as Error).message }, 'tool results could not be indexed for search; trying again'),
    ),
  );
  const memoryRunner = new MemoryToolRunner({
    memories, search, clock, sourceMessageOf: (c, t) => messages.userMessageOfTurn(c, t), isPrivate: (c) => privateSpace.has(c), tracer,
    // Read only when a memory tool runs, after the governance below exists.
    taintOf: (c) => governance.taint.newest(c),
  });
  const fetchFile = join(paths.dataDir, 'http-fetch.json');
  const fetchConfig = loadHttpFetchConfig(fetchFile);
  const fetchRunner = disposables.add(new HttpFetchRunner({ ...fetchConfig.config, testAllowedAddresses: config.httpFetchTestAllowedAddresses ?? [], configFile: fetchFile }));
  const builtinRunners = { files: runner, search: searchRunner, memory: memoryRunner, fetch: fetchRunner };
  for (const { definition, runs } of builtinTools((id) => memories.get(id)?.content)) registry.register(definition, builtinRunners[runs]);
  for (const extra of ports.extraTools ?? []) registry.register(extra.definition, extra.runner);
  const validator = new ArgumentValidator();
  const governance = createGovernance({
    db, clock, validator, workspace: paths.workspace, policyFile: config.policyFile ?? join(paths.dataDir, 'policy.yaml'),
    grants: new RoutedConversationGrantStore(db, privateSpace), isPrivate: (conversationId) => privateSpace.has(conversationId), redactor,
    ...(keychainRead ? { secretsKnown: keychainRead } : {}),
    // Read only when an approval is prepared, after the MCP servers below exist.
    sandboxWarning: (tool, args) => mcp.sandboxWarning(tool, args),
  });
  const apiKeys = new ApiKeyService(new ApiKeyStore(db), clock, governance.audit);
  disposables.add(elicitations.onDidResolve((resolved) => governance.audit.record(elicitationAnsweredEntry(resolved), clock.now())));
  const retention = new RetentionService({
    db, file: paths.databaseFile, traces: { db: traces.db, file: paths.tracesFile }, settings, audit: ports.audit ?? retentionAuditSink(governance.audit), clock, settleSpans: () => telemetry.settle(),
    forgetSpans: (traceIds) => traces.writer?.forget(traceIds),
  });
  disposables.add(scheduleRetention(retention));
  const model = new SwitchableModel(ports.model ?? new BuiltinModel());
  const models = new ModelSettingsService({ settings, model, clock, mask: (value) => redactor.maskKnownSecrets(value), ...(secretStore ? { secrets: secretStore } : {}) });
  if (!ports.model) models.load();
  const toolPins = new ToolPinStore(join(paths.dataDir, 'tool-pins.json'));
  const oauthCallbacks = new OAuthCallbackServer();
  disposables.add(toDisposable(() => void oauthCallbacks.dispose()));
  // What the Tools & servers page may offer to let a server write: never the data folder, home, system, credentials…
  const writeGrantPlaces = { dataDir: paths.dataDir, workspace: paths.workspace };
  const writeGrantRefusalOf = (folder: string) => writeGrantRefusal(folder, writeGrantPlaces);
  const mcp = new McpManager({
    registry,
    writeGrantRefusal: writeGrantRefusalOf,
    clientVersion: config.version,
    logger: log.logger,
    oauth: oauthCallbacks,
    ...(secretStore ? { secrets: secretStore } : {}),
    wrapCommand: ports.wrapMcpCommand ?? disposables.add(createMcpSandbox({ workspace: paths.workspace, dataDir: paths.dataDir, secretFiles: () => governance.source.secretFiles(), logger: log.logger })),
    pins: toolPins,
    onDefinitionDecided: ({ tool, approved, definition, hash, pinnedHash }) =>
      governance.audit.record({ kind: approved ? 'tool.definition_approved' : 'tool.definition_rejected', data: { tool, definition, hash, ...(pinnedHash ? { pinnedHash } : {}) } }, clock.now()),
    tracer,
    elicitation: ports.approvalGate ? decliningAsker : elicitations,
    // Scripts decline a server's request for the model's words as they decline its questions.
    sampling: new ServerSampling(model, ports.approvalGate ? decliningAsker : elicitations),
  });
  if (toolPins.problem) mcp.problems.push(toolPins.problem);
  // A change approved or rejected by a `portcullis tools` command beside this process counts here at once.
  disposables.add(new WatchedFile(join(paths.dataDir, 'tool-pins.json'), () => mcp.pinsChanged()));
  disposables.add(toDisposable(() => mcp.dispose()));
  const mcpFile = join(paths.dataDir, 'mcp.json');
  if (config.mcp !== false) mcp.startFromFile(mcpFile, Array.isArray(config.mcp) ? config.mcp : undefined);
  // What a version of a grant file grants or takes back is recorded as it is taken up, only by the process that owns
  // the data folder (or outlived it): a `portcullis tools import` beside the app writes the file, and the app's watch records it.
  const recordsFileChanges = (): boolean => claim.owner || folderOwnerGone(paths.dataDir);
  const grantFileAudit: GrantFileAuditOptions = { settings, clock, records: recordsFileChanges, record: (entry) => governance.audit.record(entry, clock.now()) };
  const mcpFileTakeUp = disposables.add(takeUpMcpFile({ file: mcpFile, mcp, audit: grantFileAudit, watched: config.mcp !== false }));
  const mcpConfig = new McpConfigEditor({
    file: mcpFile,
    maskSecrets: (text) => redactor.maskKnownSecrets(text),
    ...(secretStore ? { secrets: secretStore } : {}),
    writeGrantRefusal: writeGrantRefusalOf,
    onSaved: () => mcpFileTakeUp.saved(),
  });
  const home = config.homeDir ?? homedir();
  const imports = new McpImport({ home, platform: process.platform, ...(process.env.APPDATA ? { appData: process.env.APPDATA } : {}) }, mcpConfig);
  const fetchFileTakeUp = disposables.add(takeUpHttpFetchFile({ file: fetchFile, runner: fetchRunner, problem: fetchConfig.problem ?? fetchConfig.warning, problems: mcp.problems, audit: grantFileAudit }));
  const fetchDomains = new HttpFetchConfigEditor({ file: fetchFile, onSaved: () => fetchFileTakeUp.saved() });
  const gateway = new ToolGateway({
    registry,
    validator,
    policy: governance.policy,
    governance: governance.approvals,
    approvals: ports.approvalGate ?? interactive,
    toolCalls,
    approvalStore,
    tracer,
    clock,
    approvalTimeoutMs,
    absence: (name) => mcp.absence(name),
    onActivity: (activity) => events.fire({ channel: 'tool.activity', payload: activity }),
  });
  const endTurn = (turn: EndedTurn) => endTurnOfEndedProcess(endedTurnStores, turn);
  const claimDeps = { store: turnClaimStore, instance, clock, isPrivate: (conversationId: string) => privateSpace.has(conversationId), endTurn };
  const holdTurn = directTurnClaims(claimDeps);
  // A chat turn's end hands its conversation to this process's direct calls still running there.
  const claims = crossProcessTurnClaims(claimDeps, holdTurn.released);
  if (claim.owner) disposables.add(sweepEndedTurns(turnClaimStore, instance, endTurn));
  const turns = new TurnRunner({
    model, gateway, registry, conversations, messages, tracer, clock, events, redactor, maxSteps: config.maxStepsPerTurn ?? 8,
    whyAbsent: (name) => mcp.whyAbsent(name),
    // "delete reports": the built-in model takes a bare name for a path when the workspace has it.
    workspaceHas: (name) => existsSync(join(paths.workspace, name)),
    untrustedCalls: (conversationId) => governance.taint.untrustedCalls(conversationId),
    ...(config.routing === 'off' ? {} : { router: defaultIntentRouter() }),
    onTurnTrace: (conversationId, traceId) => {
      if (privateSpace.has(conversationId)) privateSpace.addTrace(traceId);
    },
    claims,
    unavailable: () => notices.storageGone,
    drafts,
  });
  disposables.add(toDisposable(() => turns.stopAll()));
  // More granted while closed (by the person, or a program behind their back): said to the terminal, the log and every page.
  notices.grantsWidened([{ file: 'mcp.json', entries: mcpFileTakeUp.changedWhileClosed }, { file: 'http-fetch.json', entries: fetchFileTakeUp.changedWhileClosed }]);
  // The data folder removed (or portcullis.db replaced) under the running process: new turns are refused and running ones stopped, with why.
  disposables.add(watchDatabaseFile(paths.databaseFile, (why) => turns.stopEvery(notices.dataFolderGone(paths.dataDir, why))));

  // Scripts' and MCP clients' calls, through the gateway as the CLI's are; an open page shows each running, as a turn.
  const directCalls = new DirectCallsUnderway(events);
  const callGoverned = (input: DirectCallInput, options: GovernedDirectCallOptions) =>
    governedDirectCall({
      call: (name, args, signal, caller) => callToolDirectly({ gateway, conversations, messages, tracer, clock, audit: governance.audit, holdTurn }, name, args, signal, caller),
      // As the gateway finds a tool: a name it would answer "no such tool" is answered so before a conversation is made.
      unknownTool: (name) => (registry.get(name) || mcp.whyAbsent(name) ? null : unknownToolOutcome(name, registry.list().map((tool) => tool.name))),
      refused: (refused) => recordRefusedCall(governance.audit, clock.now(), refused),
      redactor,
      onStarted: (turn, stop) => directCalls.started(turn, stop),
      onEnded: (turn, error) => directCalls.ended(turn, error),
    }, input, { ...options, caller: callerConversations.ofTheDay(options.caller) });
  const keyName = (id: string) => apiKeys.list().find((key) => key.id === id)?.name;
  // A script's calls, the terminal's and an MCP client's go to one conversation per caller and day, not one each.
  const callerConversations = new CallerConversations(settings, clock);
  const scriptCaller = (input: DirectCallInput) => {
    const principal = currentPrincipal();
    const caller = localApiCaller(input.name, input.arguments, callerLabel(principal, keyName), callerNameFirst(principal, keyName));
    return { ...caller, callerKey: directCallerKey(principal, caller) };
  };
  const requestSignalOption = (): { signal?: AbortSignal } => {
    const signal = requestSignal();
    return signal ? { signal } : {};
  };

  const handlers = createRequestHandlers({
    info: { version: config.version, workspace: paths.workspace, dataDir: paths.dataDir },
    notices: () => notices.list(),
    unavailable: () => notices.storageGone,
    model, conversations, messages, spans, turns, directCalls, approvals: interactive, elicitations, clock, models, telemetry, traceAccess: callerTraceAccess,
    deleteConversation: (id) => (privateSpace.has(id) ? privateSpace.deleteConversation(id) : retention.deleteConversation(id)),
    security: { secrets: secretStore, apiKeys, localApi, secretSet: (name) => mcp.retryWaitingOn(name) },
    workspace: new WorkspaceChoice({ settings, inUse: workspace, dataDir: paths.dataDir, home, clock, audit: governance.audit }),
    policy: { policy: governance.policy, source: governance.source, audit: governance.audit, registry, approvals: interactive, sandboxWarning: (tool, args) => mcp.sandboxWarning(tool, args) },
    memory: createMemoryHandlers({ db, tracesDb: traces.db, dataDir: paths.dataDir, memories, search, retention, clock, clearPrivate: () => privateSpace.clear(), turnRunning: () => turns.anyRunning() }),
    composer: new ComposerCatalog(mcp),
    taintFromServerWords: (conversationId, messageId, origin) => void governance.taint.fromServerWords(conversationId, messageId, origin),
    tools: { catalog: () => catalogFor(currentPrincipal(), redactor.maskKnownSecrets(toolCatalog(registry, mcp, mcpFileTakeUp.version()))), call: (input) => callGoverned(input, { caller: scriptCaller(input), ...requestSignalOption() }), approveChange: (name, hash) => mcp.approveChangedTool(name, hash), rejectChange: (name) => mcp.rejectChangedTool(name), toolOrigin: (name) => mcp.toolOrigin(name), restartServer: (name) => mcp.restart(name), declineWaiting: (name) => mcp.declineWaiting(name), signOut: (name) => mcp.signOut(name), mcpConfig, fetchDomains, imports },
  });

  // Values an older Portcullis stored before they were secrets: masked once per data folder by its owner, after the start.
  let closing = false;
  disposables.add(toDisposable(() => void (closing = true)));
  const startUpScrub: Promise<StartUpScrubOutcome> = claim.owner && secretStore
    ? scrubStoredSecretsAfterStart({ settings, secrets: secretStore, scrubAll: (values) => secretScrubs.scrubAll(values), clock, logger: log.logger }, () => closing)
    : Promise.resolve('not run');

  return {
    handlers,
    paths,
    apiKeys,
    mcpSessions: new McpSessionStore(db, redactor),
    instance,
    secretStore,
    secretScrubs,
    startUpScrub,
    localApi,
    telemetry,
    redactor,
    ownsDataFolder: claim.owner,
    // What leaves the runtime (renderer, WebSocket clients) is redacted like everything stored.
    onDidEmit: (listener) => events.event((event) => listener(redactor.redactValue(event))),
    startTurn: (conversationId, text) => turns.start(conversationId, text),
    retryTurn: (conversationId) => turns.retry(conversationId),
    mcp,
    listTools: () => registry.list(),
    callTool: (name, args, signal) => callToolDirectly({ gateway, conversations, messages, tracer, clock, holdTurn }, name, args, signal, callerConversations.shared('terminal', terminalCaller(name, args))),
    callGoverned,
    recordRefusedCall: (refused) => recordRefusedCall(governance.audit, clock.now(), refused),
    dispose: () => disposables.dispose(),
  };
}
