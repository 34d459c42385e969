import { join } from 'node:path';
import type { AppEvent } from '../../shared/api/contract';
import { newId } from '../../shared/ids';
import type { ApprovalGate } from '../approvals/approval-gate';
import { systemClock } from '../clock';
import { Emitter } from '../lifecycle/emitter';
import type { ModelProvider } from '../model/model-provider';
import { TurnRunner, type TurnResult } from '../orchestrator/turn-runner';
import type { TurnBudgetLimits } from '../orchestrator/turn-budget';
import { DefaultPolicyEngine, type PolicyEngine } from '../policy/policy-engine';
import type { IntentRouter } from '../router/intent-router';
import { createGovernance } from '../runtime/create-governance';
import { openDatabase } from '../storage/database';
import { ApprovalStore } from '../storage/stores/approval-store';
import { ConversationStore } from '../storage/stores/conversation-store';
import { MessageStore } from '../storage/stores/message-store';
import { SpanStore } from '../storage/stores/span-store';
import { ToolCallStore } from '../storage/stores/tool-call-store';
import { Tracer } from '../telemetry/tracer';
import { ArgumentValidator } from '../tools/argument-validator';
import type { ToolDefinition } from '../tools/tool-definition';
import { ToolGateway } from '../tools/tool-gateway';
import { ToolRegistry } from '../tools/tool-registry';
import type { ToolRunner } from '../tools/tool-runner';

export interface AgentHarnessOptions {
  dataDir: string;
  model: ModelProvider;
  tools: { definition: ToolDefinition; runner: ToolRunner }[];
  approvals: ApprovalGate;
  policy?: PolicyEngine;
  /**
   * Governs calls as the runtime does: the shipped policy (the data folder has no policy.yaml), taint tracking,
   * grants and the audit log. `wrap` may put rules in front of that policy (a scenario's own).
   */
  governance?: { workspace: string; wrap?: (governed: PolicyEngine) => PolicyEngine };
  router?: IntentRouter;
  maxSteps?: number;
  budget?: Partial<Omit<TurnBudgetLimits, 'steps'>>;
}

export interface AgentHarness {
  events: AppEvent[];
  turns: TurnRunner;
  /** Runs one turn in a new conversation and waits for it. */
  runTurn(text: string): Promise<TurnResult>;
  startTurn(text: string): { conversationId: string; done: Promise<TurnResult> };
  dispose(): void;
}

/**
 * The orchestrator and the governed gateway on a real SQLite file, with the tools the caller brings: what
 * evaluation scenarios and the orchestrator's own tests and benchmarks run against.
 */
export function createAgentHarness(options: AgentHarnessOptions): AgentHarness {
  const db = openDatabase(join(options.dataDir, 'harness.sqlite'));
  const events: AppEvent[] = [];
  const emitter = new Emitter<AppEvent>();
  emitter.event((event) => events.push(event));
  const spans = new SpanStore(db);
  const tracer = new Tracer({ export: (finished) => db.open && spans.insert(finished) });
  const registry = new ToolRegistry();
  for (const tool of options.tools) registry.register(tool.definition, tool.runner);
  const conversations = new ConversationStore(db);
  const messages = new MessageStore(db);
  const validator = new ArgumentValidator();
  const governance = options.governance
    ? createGovernance({ db, clock: systemClock, validator, workspace: options.governance.workspace, policyFile: join(options.dataDir, 'policy.yaml') })
    : null;
  const policy = governance ? (options.governance?.wrap?.(governance.policy) ?? governance.policy) : (options.policy ?? new DefaultPolicyEngine());
  const gateway = new ToolGateway({
    registry,
    validator,
    policy,
    ...(governance ? { governance: governance.approvals } : {}),
    approvals: options.approvals,
    toolCalls: new ToolCallStore(db),
    approvalStore: new ApprovalStore(db),
    tracer,
    clock: systemClock,
    approvalTimeoutMs: 60_000,
  });
  const turns = new TurnRunner({
    model: options.model, gateway, registry, conversations, messages, tracer, clock: systemClock, events: emitter,
    ...(governance ? { untrustedCalls: (conversationId: string) => governance.taint.untrustedCalls(conversationId) } : {}),
    maxSteps: options.maxSteps ?? 8,
    ...(options.budget ? { budget: options.budget } : {}),
    ...(options.router ? { router: options.router } : {}),
  });
  const startTurn = (text: string) => {
    const now = systemClock.now();
    const conversation = conversations.create({ id: newId(), title: 'New chat', createdAt: now, updatedAt: now });
    return { conversationId: conversation.id, done: turns.start(conversation.id, text).done };
  };
  return {
    events,
    turns,
    startTurn,
    runTurn: (text) => startTurn(text).done,
    dispose: () => {
      void turns.stopAll().finally(() => (tracer.flush(), db.close()));
    },
  };
}
