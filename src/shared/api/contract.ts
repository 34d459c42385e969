import { z } from 'zod';
import { ApprovalChoiceSchema, ApprovalDecisionExtrasSchema, ApprovalOutcomeSchema, ApprovalRequestSchema } from '../domain/approval';
import { ElicitationAnswerSchema, ElicitationRequestSchema } from '../domain/elicitation';
import { PolicyExplainInputSchema, PolicyExplanationSchema, PolicyStatusSchema } from '../domain/policy';
import { ContextUseSchema } from '../domain/context-use';
import { ConversationDeletionSchema, ConversationSchema } from '../domain/conversation';
import { MAX_MESSAGE_CHARS, MessageSchema } from '../domain/message';
import { DetectedServerSchema, ModelSelectionSchema, ModelSettingsSchema, ModelTestResultSchema } from '../domain/model-settings';
import { SpanRecordSchema } from '../domain/span';
import { ApiKeyInfoSchema, LocalApiSettingSchema, ScopeSchema, SecretNameSchema, SecretStatusSchema, SecretsOverviewSchema } from '../domain/security';
import { CaptureModeSchema, TelemetryStatusSchema, TraceFilterSchema, TraceSummarySchema } from '../domain/trace';
import { ToolCatalogSchema } from '../domain/tool-catalog';
import { DirectCallInputSchema, DirectCallOutcomeSchema } from '../domain/direct-call';
import { ToolActivitySchema } from '../domain/tool-call';
import { ImportSourceSchema, McpImportResultSchema, OtherAppIdSchema } from '../domain/mcp-import';
import { McpPromptListSchema, PromptArgumentValuesSchema, PromptRefSchema } from '../domain/mcp-prompt';
import { McpResourceListSchema, ResourceRefSchema } from '../domain/mcp-resource';
import { WorkspaceStatusSchema } from '../domain/workspace';
import { RuntimeNoticeSchema } from '../domain/runtime-notice';
import { GrantChangeSchema } from '../domain/grant-change';
import type { EventChannel, RequestChannel } from './channels';
import { memoryRequestContract } from './memory-contract';

const IdSchema = z.string().min(1).max(200);

/**
 * The API contract, written once: every host (Electron IPC, WebSocket, CLI) parses inputs with these
 * schemas before any handler runs, because the renderer and any network client are untrusted.
 */
/** What a control of one MCP server or tool did: done, or why not, one sentence each. */
const McpEditOutcomeSchema = z.object({ done: z.boolean(), problems: z.array(z.string()) });

export const requestContract = {
  'app.info': {
    input: z.object({}).strict(),
    output: z.object({
      version: z.string(),
      workspace: z.string(),
      dataDir: z.string(),
      model: z.object({ id: z.string(), description: z.string() }),
      /** What is wrong with the running Portcullis itself (its data folder gone), for a page opened after it was said. */
      notices: z.array(RuntimeNoticeSchema),
    }),
  },
  'conversations.create': {
    input: z.object({ title: z.string().trim().min(1).max(200).optional(), private: z.boolean().optional() }).strict(),
    output: ConversationSchema,
  },
  'conversations.list': {
    input: z.object({}).strict(),
    output: z.array(ConversationSchema),
  },
  'conversations.rename': {
    input: z.object({ conversationId: IdSchema, title: z.string().trim().min(1).max(200) }).strict(),
    output: ConversationSchema,
  },
  'conversations.delete': {
    input: z.object({ conversationId: IdSchema }).strict(),
    output: ConversationDeletionSchema,
  },
  'messages.list': {
    input: z.object({ conversationId: IdSchema }).strict(),
    output: z.array(MessageSchema),
  },
  'chat.send': {
    input: z
      .object({
        conversationId: IdSchema,
        text: z.string().trim().min(1).max(MAX_MESSAGE_CHARS),
        /** The MCP prompt the text came from: the conversation holds that server's words from then on (its taint). */
        prompt: PromptRefSchema.strict().optional(),
        /** The MCP resources the text holds (picked from `/` or put in with `@`): the same, for each server's resource. */
        resources: z.array(ResourceRefSchema.strict()).max(20).optional(),
        /**
         * When the policy asks about one of the turn's calls: `wait` (the default) for the person's answer, or `deny`
         * it at once without asking anyone (`portcullis chat --approve none` through the running app).
         */
        ifAsked: z.enum(['wait', 'deny']).optional(),
      })
      .strict(),
    output: z.object({ turnId: z.string(), traceId: z.string(), userMessageId: z.string() }),
  },
  'chat.stop': {
    input: z.object({ conversationId: IdSchema }).strict(),
    output: z.object({ stopped: z.boolean() }),
  },
  /** Runs the conversation's last turn again, when it ended without an answer. */
  'chat.retry': {
    input: z.object({ conversationId: IdSchema }).strict(),
    output: z.object({ turnId: z.string(), traceId: z.string() }),
  },
  /** What the next model step would be sent of the conversation, before any tools are offered. */
  'chat.contextUse': {
    input: z.object({ conversationId: IdSchema }).strict(),
    output: ContextUseSchema,
  },
  /**
   * The pid of another Portcullis process on the data folder that runs a turn in the conversation now, or null: the
   * page then says so instead of offering to retry a turn that has not ended.
   */
  'chat.runningElsewhere': {
    input: z.object({ conversationId: IdSchema }).strict(),
    output: z.object({ pid: z.number().int().nullable() }),
  },
  /** Every conversation another Portcullis process on the data folder runs a turn in now: the sidebar marks them. */
  'conversations.runningElsewhere': {
    input: z.object({}).strict(),
    output: z.object({ conversations: z.array(z.object({ conversationId: IdSchema, pid: z.number().int() })) }),
  },
  /**
   * Every turn this host runs now, a script's or an MCP client's call included: a page loaded while one waits shows
   * its row running (the sidebar's dot) before it is opened.
   */
  'conversations.running': {
    input: z.object({}).strict(),
    output: z.object({ turns: z.array(z.object({ conversationId: IdSchema, turnId: z.string(), traceId: z.string() })) }),
  },
  /** The turn this host runs in the conversation now, if any: a page loaded while it runs shows Stop, not Send. */
  'chat.running': {
    input: z.object({ conversationId: IdSchema }).strict(),
    output: z.object({ turn: z.object({ turnId: z.string(), traceId: z.string() }).nullable() }),
  },
  'approvals.pending': {
    input: z.object({}).strict(),
    output: z.array(ApprovalRequestSchema),
  },
  'approvals.decide': {
    input: z
      .object({ approvalId: IdSchema, choice: ApprovalChoiceSchema, note: z.string().max(2_000).optional(), ...ApprovalDecisionExtrasSchema.shape })
      .strict(),
    output: z.object({ outcome: ApprovalOutcomeSchema }),
  },
  /** Questions MCP servers are waiting for the person to answer (MCP elicitation). */
  'elicitations.pending': {
    input: z.object({}).strict(),
    output: z.array(ElicitationRequestSchema),
  },
  /** The person's answer to one: values (checked against what was asked), decline, or cancel. */
  'elicitations.answer': {
    input: z.object({ elicitationId: IdSchema, answer: ElicitationAnswerSchema }).strict(),
    output: z.object({ action: z.enum(['accept', 'decline', 'cancel']) }),
  },
  'traces.spans': {
    input: z
      .object({
        traceId: z.string().regex(/^[0-9a-f]{32}$/, 'a trace id is 32 hex characters'),
        /** Captured content (arguments, results, text) is left out unless asked for, and needs `traces:content`. */
        includeContent: z.boolean().optional(),
      })
      .strict(),
    output: z.array(SpanRecordSchema),
  },
  'secrets.list': {
    input: z.object({}).strict(),
    output: SecretsOverviewSchema,
  },
  'secrets.set': {
    input: z.object({ name: SecretNameSchema, value: z.string().min(1).max(16_384) }).strict(),
    output: SecretStatusSchema,
  },
  'secrets.delete': {
    input: z.object({ name: SecretNameSchema }).strict(),
    output: SecretStatusSchema,
  },
  'apiKeys.list': {
    input: z.object({}).strict(),
    output: z.array(ApiKeyInfoSchema),
  },
  'apiKeys.create': {
    input: z
      .object({
        name: z.string().trim().min(1).max(100),
        scopes: z.array(ScopeSchema).min(1),
        expiresAt: z.number().int().positive().nullable().optional(),
        /** Limits the key to these tools (globs over Portcullis' names); absent or null: every tool. */
        tools: z.array(z.string().max(200)).max(50).nullable().optional(),
      })
      .strict(),
    /** The key is in this answer only; it is stored as a hash. */
    output: z.object({ key: z.string(), info: ApiKeyInfoSchema }),
  },
  'apiKeys.update': {
    input: z
      .object({
        id: IdSchema,
        /** Its new scopes; absent: as they are. */
        scopes: z.array(ScopeSchema).min(1).optional(),
        /** Its new tools (globs over Portcullis' names); null: every tool; absent: as they are. */
        tools: z.array(z.string().max(200)).max(50).nullable().optional(),
      })
      .strict(),
    output: ApiKeyInfoSchema,
  },
  'apiKeys.revoke': {
    input: z.object({ id: IdSchema }).strict(),
    output: z.object({ revoked: z.boolean() }),
  },
  'localApi.get': {
    input: z.object({}).strict(),
    output: LocalApiSettingSchema.extend({ running: z.boolean(), url: z.string().nullable(), problem: z.string().nullable() }),
  },
  'localApi.set': {
    input: LocalApiSettingSchema.strict(),
    output: LocalApiSettingSchema.extend({ running: z.boolean(), url: z.string().nullable(), problem: z.string().nullable() }),
  },
  'approvals.decideMany': {
    input: z
      .object({
        approvalIds: z.array(IdSchema).min(1).max(100),
        choice: z.enum(['allow_once', 'allow_conversation', 'deny']),
        note: z.string().max(2_000).optional(),
      })
      .strict(),
    output: z.array(z.object({ approvalId: z.string(), outcome: ApprovalOutcomeSchema.nullable(), error: z.string().nullable() })),
  },
  /**
   * A waiting request's `sandboxWarning` worked out again for the arguments the person is editing in its dialog: a
   * path edited into a folder its server may write loses the warning, one edited out of it gains it. Null: none.
   */
  'approvals.sandboxWarning': {
    input: z.object({ approvalId: IdSchema, arguments: z.record(z.string(), z.unknown()) }).strict(),
    output: z.object({ sandboxWarning: z.string().nullable() }),
  },
  'policy.status': {
    input: z.object({}).strict(),
    output: PolicyStatusSchema,
  },
  'policy.explain': {
    input: PolicyExplainInputSchema,
    output: PolicyExplanationSchema,
  },
  'policy.rules.revoke': {
    input: z.object({ ruleId: IdSchema }).strict(),
    output: z.object({ revoked: z.boolean() }),
  },
  'audit.verify': {
    input: z.object({}).strict(),
    output: z.object({ ok: z.boolean(), entries: z.number().int(), seq: z.number().int().optional(), problem: z.string().optional(), head: z.string().optional() }),
  },
  /** The newest changes of what mcp.json and http-fetch.json grant (the audit chain's sandbox entries), the newest first. */
  'audit.grants': {
    input: z.object({}).strict(),
    output: z.array(GrantChangeSchema),
  },
  ...memoryRequestContract,
  'models.get': {
    input: z.object({}).strict(),
    output: ModelSettingsSchema,
  },
  'models.set': {
    // The key goes to the OS keychain and is never sent back.
    input: z.object({ selection: ModelSelectionSchema, apiKey: z.string().trim().min(8).max(500).optional() }).strict(),
    output: ModelSettingsSchema,
  },
  'models.detect': {
    // `baseUrl`: the address the person typed, asked for its models too (a server on another port or machine).
    input: z.object({ baseUrl: z.string().max(2048).optional() }).strict(),
    output: z.array(DetectedServerSchema),
  },
  'models.test': {
    // A key typed in is tried with the test, and neither kept nor sent back.
    input: z.object({ selection: ModelSelectionSchema.optional(), apiKey: z.string().trim().min(8).max(500).optional() }).strict(),
    output: ModelTestResultSchema,
  },
  'traces.list': {
    input: TraceFilterSchema,
    output: z.array(TraceSummarySchema),
  },
  'traces.export': {
    input: z.object({ traceId: z.string().regex(/^[0-9a-f]{32}$/, 'a trace id is 32 hex characters'), includeContent: z.boolean().optional() }).strict(),
    /** OTLP/JSON ExportTraceServiceRequest: import it into Jaeger, Tempo, Phoenix, ... */
    output: z.object({ resourceSpans: z.array(z.unknown()) }),
  },
  'telemetry.status': {
    input: z.object({}).strict(),
    output: TelemetryStatusSchema,
  },
  'telemetry.configure': {
    input: z
      .object({
        captureMode: CaptureModeSchema.optional(),
        otlpEndpoint: z.string().url().max(2_000).nullable().optional(),
      })
      .strict(),
    output: TelemetryStatusSchema,
  },
  'tools.catalog': {
    input: z.object({}).strict(),
    output: ToolCatalogSchema,
  },
  /**
   * One tool call through the whole governed path (validation, policy, approval, sandbox, records, trace), as
   * `portcullis tools call` makes it; a call the policy asks about waits for the person's answer (or an
   * `approvals.decide`). Recorded in a conversation of its own, which the approval names.
   */
  'tools.call': {
    input: DirectCallInputSchema,
    output: DirectCallOutcomeSchema,
  },
  /**
   * `hash`: the definition the person was shown and approves (the catalog's `change.hash`, whole or its first 16
   * digits): one its server offered since is refused (TOOL_HELD_BACK, "changed again since you looked").
   */
  'tools.approveChange': {
    input: z.object({ name: z.string().min(1).max(300), hash: z.string().regex(/^[0-9a-fA-F]{16,64}$/, 'the hash of the definition shown: at least its first 16 hex digits') }).strict(),
    output: z.object({ approved: z.boolean() }),
  },
  /** Other MCP hosts' configs on this machine, to bring servers over from. */
  'tools.importSources': {
    input: z.object({}).strict(),
    output: z.object({ sources: z.array(ImportSourceSchema) }),
  },
  'tools.importServers': {
    input: z.object({ source: OtherAppIdSchema }).strict(),
    output: McpImportResultSchema,
  },
  'tools.rejectChange': {
    input: z.object({ name: z.string().min(1).max(300) }).strict(),
    output: z.object({ rejected: z.boolean() }),
  },
  /** mcp.json for the editor, pasted credentials hidden. */
  'tools.mcpConfig': {
    input: z.object({}).strict(),
    output: z.object({ file: z.string(), text: z.string() }),
  },
  /** Saves mcp.json whole (or nothing) and restarts the servers whose entry changed. */
  'tools.saveMcpConfig': {
    input: z.object({ text: z.string().max(1_000_000) }).strict(),
    output: z.object({ saved: z.boolean(), problems: z.array(z.string()), movedToKeychain: z.array(z.string()) }),
  },
  /** Grants one sandboxed server a domain its sandbox refused (mcp.json's `sandbox.allowedDomains`). */
  'tools.allowDomain': {
    input: z.object({ name: z.string().min(1).max(64), domain: z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i, 'a host name like api.example.com').max(253) }).strict(),
    output: McpEditOutcomeSchema,
  },
  /**
   * Lets one sandboxed server write a folder (mcp.json's `sandbox.allowWrite`), as its row offers it; refused for a
   * folder that is never one click away (the data folder, home, system folders, credentials…).
   */
  'tools.allowWrite': {
    input: z.object({ name: z.string().min(1).max(64), folder: z.string().min(1).max(4_096).refine((folder) => folder.startsWith('/'), 'a full path') }).strict(),
    output: McpEditOutcomeSchema,
  },
  /** http.fetch's allowlist (http-fetch.json's `allowedDomains`) for Tools & servers; `problem`: the file is broken. */
  'tools.fetchDomains': {
    input: z.object({}).strict(),
    output: z.object({ file: z.string(), domains: z.array(z.string()), problem: z.string().nullable() }),
  },
  /** Adds a domain to http.fetch's allowlist (checked as the file's are: a domain, no URL or address) or removes one. */
  'tools.setFetchDomain': {
    input: z.object({ domain: z.string().max(2_048), allowed: z.boolean() }).strict(),
    output: McpEditOutcomeSchema,
  },
  /** Turns one MCP tool off (never offered to the model, never run) or back on; its server keeps running. */
  'tools.setToolEnabled': {
    input: z.object({ name: z.string().min(1).max(300), enabled: z.boolean() }).strict(),
    output: McpEditOutcomeSchema,
  },
  /**
   * Restarts a server now, turns it on or off (its `enabled` in mcp.json, which then reloads), signs out of it, or
   * declines the hosts it waits for a decision on (its sandbox refused them as it started): it stays stopped.
   */
  'tools.controlServer': {
    input: z.object({ name: z.string().min(1).max(64), action: z.enum(['restart', 'enable', 'disable', 'signOut', 'decline']) }).strict(),
    output: McpEditOutcomeSchema,
  },
  /** Every connected MCP server's prompts (the composer's `/` list): each server's list as it last said, or asked now. */
  'prompts.list': {
    input: z.object({}).strict(),
    output: McpPromptListSchema,
  },
  /** One prompt filled in, as the text of a message for the person to read, edit and send. */
  'prompts.get': {
    input: z
      .object({
        ...PromptRefSchema.shape,
        arguments: PromptArgumentValuesSchema,
      })
      .strict(),
    output: z.object({ text: z.string() }),
  },
  /** Values the server suggests for one of a prompt's arguments, from what was typed so far. */
  'prompts.complete': {
    input: z
      .object({
        ...PromptRefSchema.shape,
        argument: z.string().min(1).max(200),
        value: z.string().max(10_000),
        arguments: PromptArgumentValuesSchema,
      })
      .strict(),
    output: z.object({ values: z.array(z.string()) }),
  },
  /** Every connected MCP server's resources (the composer's `/` list too), kept as its prompts are. */
  'resources.list': {
    input: z.object({}).strict(),
    output: McpResourceListSchema,
  },
  /** One resource's contents, as the text of a message for the person to read, edit and send. */
  'resources.read': {
    input: ResourceRefSchema.strict(),
    output: z.object({ text: z.string() }),
  },
  /** The folder the tools work in, where it came from, and the one chosen in Settings. */
  'workspace.get': {
    input: z.object({}).strict(),
    output: WorkspaceStatusSchema,
  },
  /** Chooses the workspace for the next start (a full path to an existing folder); null goes back to the default. */
  'workspace.set': {
    input: z.object({ path: z.string().trim().min(1, 'type the path of a folder').max(4_096).nullable() }).strict(),
    output: WorkspaceStatusSchema,
  },
} satisfies Record<RequestChannel, { input: z.ZodType; output: z.ZodType }>;

export const eventContract = {
  'chat.delta': {
    /**
     * `thinking`: the model began to think before its answer (a reasoning model); its thinking's words are not sent
     * until stored. `recalled`: the text sent before in this step was that thinking (a lone `</think>` came, its
     * opening having been in the prompt): no longer to be shown.
     */
    payload: z.object({ conversationId: z.string(), turnId: z.string(), text: z.string(), thinking: z.literal(true).optional(), recalled: z.literal(true).optional() }),
  },
  'chat.message': {
    payload: MessageSchema,
  },
  /**
   * A turn began in the conversation, whoever asked for it (this page, another, a script's chat.send, a script's or
   * an MCP client's direct call): it runs until its `chat.turnEnded`.
   */
  'chat.turnStarted': {
    payload: z.object({ conversationId: z.string(), turnId: z.string(), traceId: z.string() }),
  },
  'chat.turnEnded': {
    payload: z.object({
      conversationId: z.string(),
      turnId: z.string(),
      traceId: z.string(),
      error: z.object({ code: z.string(), message: z.string() }).nullable(),
    }),
  },
  /** What a model step of a running turn was sent. */
  'chat.contextUsed': {
    payload: z.object({ conversationId: z.string(), turnId: z.string(), use: ContextUseSchema }),
  },
  'approval.requested': {
    payload: ApprovalRequestSchema,
  },
  'approval.resolved': {
    payload: z.object({ approvalId: z.string(), toolCallId: z.string(), outcome: ApprovalOutcomeSchema }),
  },
  'elicitation.requested': {
    payload: ElicitationRequestSchema,
  },
  /** A question ended: answered, declined, cancelled, timed out, or withdrawn by its server. */
  'elicitation.resolved': {
    payload: z.object({ elicitationId: z.string(), action: z.enum(['accept', 'decline', 'cancel']), by: z.enum(['person', 'timeout', 'withdrawn']) }),
  },
  /** A tool call started to run, or reported progress. */
  'tool.activity': {
    payload: ToolActivitySchema,
  },
  /** Something wrong with the running Portcullis itself (`app.info` lists those said so far). */
  'app.notice': {
    payload: RuntimeNoticeSchema,
  },
} satisfies Record<EventChannel, { payload: z.ZodType }>;

export type RequestInput<C extends RequestChannel> = z.input<(typeof requestContract)[C]['input']>;
export type ParsedRequestInput<C extends RequestChannel> = z.output<(typeof requestContract)[C]['input']>;
export type RequestOutput<C extends RequestChannel> = z.infer<(typeof requestContract)[C]['output']>;
export type EventPayload<E extends EventChannel> = z.infer<(typeof eventContract)[E]['payload']>;

/** A typed handler map: a channel without a handler is a type error in every host. */
export type RequestHandlers = {
  [C in RequestChannel]: (input: ParsedRequestInput<C>) => Promise<RequestOutput<C>>;
};

/** Every event as one discriminated value, for transports that carry them in a single stream. */
export type AppEvent = { [E in EventChannel]: { channel: E; payload: EventPayload<E> } }[EventChannel];
