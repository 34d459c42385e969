import type { RequestHandlers } from '../../shared/api/contract';
import type { ConversationDeletion } from '../../shared/domain/conversation';
import type { RuntimeNotice } from '../../shared/domain/runtime-notice';
import type { ToolCatalog } from '../../shared/domain/tool-catalog';
import type { DirectCallInput, DirectCallOutcome } from '../../shared/domain/direct-call';
import { AppError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type { ElicitationGate } from '../approvals/elicitation-gate';
import type { InteractiveApprovalGate } from '../approvals/interactive-approval-gate';
import type { Clock } from '../clock';
import type { MemoryHandlers } from '../memory/memory-handlers';
import type { ModelProvider } from '../model/model-provider';
import type { ModelSettingsService } from '../model/model-settings-service';
import type { TurnRunner } from '../orchestrator/turn-runner';
import { conversationNotFound, type ConversationStore } from '../storage/stores/conversation-store';
import type { MessageStore } from '../storage/stores/message-store';
import type { SpanStore } from '../storage/stores/span-store';
import { createSecurityHandlers, type SecurityHandlerDeps } from './security-handlers';
import { createPolicyHandlers, type PolicyHandlerDeps } from './policy-handlers';
import type { McpConfigEditor, McpConfigSaveResult } from '../mcp/mcp-config-editor';
import type { McpImport } from '../mcp/import/mcp-import';
import type { ComposerCatalog } from '../mcp/composer-catalog';
import type { ServerWords } from '../taint/taint-tracker';
import type { Revocation } from '../mcp/oauth/revoke-tokens';
import type { Telemetry } from '../telemetry/telemetry';
import type { TraceAccess } from '../telemetry/trace-access';
import type { WorkspaceChoice } from '../config/workspace-choice';
import { createTraceHandlers } from './trace-handlers';
import { createFetchDomainHandlers } from './fetch-domain-handlers';
import type { HttpFetchConfigEditor } from '../tools/http-fetch-config-editor';
import { refuseChangesWhileUnkept } from './kept-changes';
import { checkPromptResources } from './prompt-get-gate';
import { checkPromptServer, serversOfKey } from './key-server-reach';
import { currentPrincipal } from '../auth/request-principal';
import { approvalAnswerer } from './approval-answerer';
import { requestSignal } from './request-signal';
import { messageSender } from './message-sender';
import { callerLabel } from '../auth/caller-label';
import { toolRefusal } from '../auth/tool-access';
import { recordRefusedCall } from '../tools/refused-call-record';
import { unknownToolOutcomeFor } from '../tools/unknown-tool-message';
import type { DirectCallsUnderway } from '../tools/direct-calls-underway';
import { checkResourceRead, type ResourceReadGateDeps } from './resource-read-gate';

export interface HandlerDeps {
  info: { version: string; workspace: string; dataDir: string };
  /** What is wrong with the running Portcullis itself, said so far. */
  notices(): RuntimeNotice[];
  /** Why nothing more can be kept (its data folder is gone), or null: requests that add something are then refused. */
  unavailable?: () => AppError | null;
  model: ModelProvider;
  conversations: ConversationStore;
  /** Deletes one conversation with its messages, tool calls, approvals and traces (from memory when private). */
  deleteConversation(conversationId: string): ConversationDeletion | null;
  messages: MessageStore;
  spans: SpanStore;
  turns: TurnRunner;
  /** Scripts' and MCP clients' calls running now: shown running, stopped by Stop, and held from deletion as a turn is. */
  directCalls?: Pick<DirectCallsUnderway, 'running' | 'stop' | 'all'>;
  approvals: InteractiveApprovalGate;
  /** MCP servers' questions to the person. */
  elicitations: ElicitationGate;
  clock: Clock;
  security: SecurityHandlerDeps;
  policy: PolicyHandlerDeps;
  /** Search, memories and retention (issue 5). */
  memory: MemoryHandlers;
  models: ModelSettingsService;
  telemetry: Telemetry;
  /** Who is asking, for trace scopes; default: the local person (every scope). */
  traceAccess?: () => TraceAccess;
  /** The workspace in use and the one chosen in Settings for the next start. */
  workspace: WorkspaceChoice;
  /** MCP servers' prompts and resources, for the composer. */
  composer: ComposerCatalog;
  /** A message sent with an MCP prompt's or resource's text taints its conversation (`TaintTracker.fromServerWords`). */
  taintFromServerWords(conversationId: string, messageId: string, origin: ServerWords): void;
  /** The Tools & servers page: every tool and MCP server, and re-approval of a changed tool. */
  tools: { catalog(): ToolCatalog; call(input: DirectCallInput): Promise<DirectCallOutcome>; approveChange(name: string, hash: string): boolean; rejectChange(name: string): boolean; toolOrigin(name: string): { server: string; remoteName: string } | undefined; restartServer(name: string): Promise<boolean>; declineWaiting(name: string): boolean; signOut(name: string): Promise<Revocation | null>; mcpConfig: McpConfigEditor; fetchDomains: HttpFetchConfigEditor; imports: McpImport };
}

/** An edit of one mcp.json entry, as the page's server and tool controls answer. */
const asDone = ({ saved, problems }: McpConfigSaveResult) => ({ done: saved, problems });

/** The contract's handlers. Inputs arrive already parsed by `dispatchRequest`. */
export function createRequestHandlers(deps: HandlerDeps): RequestHandlers {
  const { conversations, messages, turns, approvals, clock } = deps;
  // A script's direct read of a resource, or of a prompt that embeds one, is what a read_resource call would get unasked.
  const keyName = (id: string) => deps.security.apiKeys.list().find((key) => key.id === id)?.name;
  const readGate: ResourceReadGateDeps = { policy: deps.policy.policy, registry: deps.policy.registry, audit: deps.policy.audit, clock, keyName };
  const handlers: RequestHandlers = {
    'app.info': async () => ({ ...deps.info, model: { id: deps.model.id, description: deps.model.description }, notices: deps.notices() }),
    'conversations.create': async ({ title, private: isPrivate }) => {
      const now = clock.now();
      return conversations.create({ id: newId(), title: title ?? 'New chat', createdAt: now, updatedAt: now, ...(isPrivate === undefined ? {} : { private: isPrivate }) });
    },
    'conversations.list': async () => conversations.list(),
    'conversations.rename': async ({ conversationId, title }) => {
      conversations.get(conversationId);
      conversations.rename(conversationId, title);
      return conversations.get(conversationId);
    },
    'conversations.delete': async ({ conversationId }) => {
      if (turns.isRunning(conversationId)) {
        throw new AppError('TURN_IN_PROGRESS', 'The agent is still working in this conversation. Press Stop, then delete it.');
      }
      if (deps.directCalls?.running(conversationId)) {
        throw new AppError('TURN_IN_PROGRESS', 'A call a script or an MCP client made is waiting or running in this conversation. Answer it or press Stop, then delete it.');
      }
      conversations.get(conversationId); // an unknown one is said as such, not as a claim it cannot take
      // Its rows would go from under another process's turn, whose next writes then fail: held as a turn holds it.
      const deleted = turns.withConversationHeld(conversationId, () => deps.deleteConversation(conversationId));
      if (!deleted) throw conversationNotFound(conversationId);
      return deleted;
    },
    'messages.list': async ({ conversationId }) => {
      conversations.get(conversationId);
      return messages.list(conversationId);
    },
    'chat.send': async ({ conversationId, text, prompt, resources = [], ifAsked }) => {
      // A turn of the model's, as the person's own; its message and approvals name who sent it when they did not.
      const author = messageSender(currentPrincipal(), keyName);
      // `portcullis chat` waits on its connection for the turn's end: killed (or its terminal closed), it takes the turn
      // with it, as its Ctrl+C does, rather than leave an approval waiting for no one. The person's pages do not.
      const endsWith = currentPrincipal()?.kind === 'terminal' ? requestSignal() : undefined;
      const { turnId, traceId, userMessageId } = turns.start(conversationId, text, { unattended: ifAsked === 'deny', ...(author ? { author } : {}), ...(endsWith ? { endsWith } : {}) });
      // Still in the turn's first synchronous step: marked before any of its tool calls is decided.
      if (prompt) deps.taintFromServerWords(conversationId, userMessageId, { server: prompt.server, kind: 'prompt', name: prompt.name });
      for (const resource of resources) deps.taintFromServerWords(conversationId, userMessageId, { server: resource.server, kind: 'resource', name: resource.uri });
      return { turnId, traceId, userMessageId };
    },
    'chat.stop': async ({ conversationId }) => {
      // Both, when both run: a script's call can wait in a conversation whose turn the person runs.
      const turn = turns.stop(conversationId);
      const direct = deps.directCalls?.stop(conversationId) ?? false;
      return { stopped: turn || direct };
    },
    'chat.retry': async ({ conversationId }) => {
      // Who pressed Retry, when not the person from a page of theirs: the retried turn's approvals say so.
      const retriedBy = messageSender(currentPrincipal(), keyName);
      const { turnId, traceId } = turns.retry(conversationId, retriedBy ? { retriedBy } : {});
      return { turnId, traceId };
    },
    'chat.contextUse': async ({ conversationId }) => {
      conversations.get(conversationId);
      return turns.contextUse(conversationId);
    },
    'chat.running': async ({ conversationId }) => {
      conversations.get(conversationId);
      return { turn: turns.runningTurn(conversationId) ?? deps.directCalls?.running(conversationId) ?? null };
    },
    'chat.runningElsewhere': async ({ conversationId }) => {
      conversations.get(conversationId);
      return { pid: turns.runningElsewhere(conversationId) };
    },
    'conversations.runningElsewhere': async () => ({ conversations: turns.allRunningElsewhere() }),
    'conversations.running': async () => ({ turns: [...(deps.directCalls?.all() ?? []), ...turns.allRunning()] }),
    'approvals.pending': async () => approvals.pending(),
    'approvals.decide': async ({ approvalId, choice, note, ...extras }) => ({ outcome: approvals.decide(approvalId, choice, note, extras, approvalAnswerer(currentPrincipal(), keyName)) }),
    'elicitations.pending': async () => deps.elicitations.pending(),
    'elicitations.answer': async ({ elicitationId, answer }) => ({ action: deps.elicitations.answer(elicitationId, answer) }),
    ...createSecurityHandlers(deps.security),
    ...createPolicyHandlers(deps.policy, keyName),
    ...createFetchDomainHandlers(deps.tools.fetchDomains),
    ...deps.memory,
    'models.get': () => deps.models.get(),
    'models.set': ({ selection, apiKey }) => deps.models.set(selection, apiKey),
    'models.detect': ({ baseUrl }) => deps.models.detect(baseUrl),
    'models.test': ({ selection, apiKey }) => deps.models.test(selection, apiKey),
    ...createTraceHandlers(deps.telemetry, deps.traceAccess, (conversationId, traceId, start, end) => messages.requestOfTrace(conversationId, traceId, start, end)),
    'workspace.get': async () => deps.workspace.status(),
    'workspace.set': async ({ path }) => deps.workspace.set(path),
    'tools.catalog': async () => deps.tools.catalog(),
    'tools.call': async (input) => {
      const principal = currentPrincipal();
      const refusal = toolRefusal(principal, input.name);
      if (refusal) {
        const caller = callerLabel(principal, keyName);
        recordRefusedCall(deps.policy.audit, clock.now(), { tool: input.name, caller, channel: 'tools.call', reason: refusal });
        throw new AppError('FORBIDDEN', refusal);
      }
      const outcome = await deps.tools.call(input);
      if (!principal) return outcome;
      return unknownToolOutcomeFor(outcome, input.name, deps.policy.registry.list().map((tool) => tool.name).filter((name) => toolRefusal(principal, name) === null));
    },
    // A key limited to certain tools gets the prompts and resources of the servers it reaches a tool of.
    'prompts.list': () => deps.composer.prompts(serversOfKey(deps.policy.registry.list(), 'any-tool')),
    'prompts.get': async ({ server, name, arguments: args }) => {
      checkPromptServer(readGate, deps.policy.registry.list(), server, name, 'prompts.get');
      return { text: checkPromptResources(readGate, server, name, await deps.composer.get(server, name, args)) };
    },
    'prompts.complete': async ({ server, name, argument, value, arguments: context }) => {
      checkPromptServer(readGate, deps.policy.registry.list(), server, name, 'prompts.complete');
      return { values: await deps.composer.complete(server, { prompt: name, argument, value, context }) };
    },
    'resources.list': () => deps.composer.resources(serversOfKey(deps.policy.registry.list(), 'resource-reader')),
    'resources.read': async ({ server, uri }) => {
      checkResourceRead(readGate, server, uri);
      return { text: await deps.composer.read(server, uri) };
    },
    'tools.approveChange': async ({ name, hash }) => ({ approved: deps.tools.approveChange(name, hash) }),
    'tools.rejectChange': async ({ name }) => ({ rejected: deps.tools.rejectChange(name) }),
    'tools.importSources': async () => ({ sources: deps.tools.imports.sources() }),
    'tools.importServers': async ({ source }) => deps.tools.imports.importFrom(source),
    'tools.mcpConfig': async () => deps.tools.mcpConfig.read(),
    'tools.saveMcpConfig': async ({ text }) => deps.tools.mcpConfig.save(text),
    'tools.setToolEnabled': async ({ name, enabled }) => {
      const origin = deps.tools.toolOrigin(name);
      if (!origin) return { done: false, problems: [`No MCP server lists a tool named ${name} now.`] };
      return asDone(await deps.tools.mcpConfig.setToolEnabled(origin.server, origin.remoteName, enabled));
    },
    'tools.allowDomain': async ({ name, domain }) => {
      return asDone(await deps.tools.mcpConfig.allowDomain(name, domain.toLowerCase()));
    },
    'tools.allowWrite': async ({ name, folder }) => asDone(await deps.tools.mcpConfig.allowWrite(name, folder)),
    'tools.controlServer': async ({ name, action }) => {
      if (action === 'restart') {
        const done = await deps.tools.restartServer(name);
        return { done, problems: done ? [] : [`No server "${name}" is running: it is not in mcp.json, or it is turned off.`] };
      }
      if (action === 'decline') {
        const done = deps.tools.declineWaiting(name);
        return { done, problems: done ? [] : [`The ${name} server waits for no decision on a host its sandbox refused.`] };
      }
      if (action === 'signOut') {
        const revocation = await deps.tools.signOut(name);
        if (!revocation) return { done: false, problems: [`Portcullis is not signed in to "${name}".`] };
        const unconfirmed = `Signed out of ${name} here, but ${name} did not confirm that it revoked the tokens`;
        return { done: true, problems: revocation.kind === 'failed' ? [`${unconfirmed} (${revocation.reason}): they stop working when they expire.`] : [] };
      }
      return asDone(await deps.tools.mcpConfig.setEnabled(name, action === 'enable'));
    },
  };
  return deps.unavailable ? refuseChangesWhileUnkept(handlers, deps.unavailable) : handlers;
}
