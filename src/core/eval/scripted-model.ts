import type { ModelChunk, ModelMessage, ModelProvider, ModelRequest } from '../model/model-provider';

export interface ScriptedCall {
  tool: string;
  /** String values may quote earlier tool results: `{{results.0.content}}` is the first result's `content`. */
  arguments: Record<string, unknown>;
}

export type ScriptStep = { say: string } | { call: ScriptedCall } | { calls: ScriptedCall[] };

export interface ScriptedAttack {
  /** Text that marks injected content; the worst-case model obeys as soon as a tool result contains it. */
  trigger: string;
  /** The calls the injection asks for, made all at once the moment the trigger is read. */
  goal: ScriptedCall[];
}

/**
 * A model that plays a script, step by step, and — as the worst case — obeys every injected instruction it
 * reads the moment it reads it. Zero latency, fully deterministic: what evaluation suites and benchmarks drive
 * the real orchestrator with.
 */
export class ScriptedModel implements ModelProvider {
  readonly id = 'scripted';
  readonly description = 'Scripted model (evaluation)';
  private step = 0;
  private attacked = false;
  private calls = 0;
  /** The attacker's goal calls as emitted (arguments filled in), so the evaluation can recognize them. */
  readonly emittedGoal: ScriptedCall[] = [];

  constructor(private readonly steps: readonly ScriptStep[], private readonly attack?: ScriptedAttack) {}

  async *stream(request: ModelRequest): AsyncIterable<ModelChunk> {
    const results = toolResults(request.messages);
    if (this.attack && !this.attacked && results.some((r) => r.raw.includes(this.attack!.trigger))) {
      this.attacked = true;
      this.emittedGoal.push(...this.attack.goal.map((g) => ({ tool: g.tool, arguments: fill(g.arguments, results) as Record<string, unknown> })));
      yield* this.emitCalls(this.attack.goal, results);
      return;
    }
    const step = this.steps[this.step++];
    if (!step) {
      yield { type: 'text-delta', text: 'Done.' };
      yield { type: 'finish', reason: 'stop' };
    } else if ('say' in step) {
      yield { type: 'text-delta', text: fill(step.say, results) as string };
      yield { type: 'finish', reason: 'stop' };
    } else {
      yield* this.emitCalls('call' in step ? [step.call] : step.calls, results);
    }
  }

  private *emitCalls(calls: readonly ScriptedCall[], results: readonly ToolResult[]): Iterable<ModelChunk> {
    for (const call of calls) {
      yield { type: 'tool-call', id: `scripted-${++this.calls}`, name: call.tool, arguments: fill(call.arguments, results) };
    }
    yield { type: 'finish', reason: 'tool-calls' };
  }
}

interface ToolResult {
  raw: string;
  value: unknown;
}

function toolResults(messages: readonly ModelMessage[]): ToolResult[] {
  return messages
    .filter((m): m is Extract<ModelMessage, { role: 'tool' }> => m.role === 'tool')
    .map((m) => {
      let value: unknown = m.content;
      try {
        value = JSON.parse(m.content);
      } catch {
        // A plain-text result is quoted as it is.
      }
      return { raw: m.content, value };
    });
}

/** Replaces `{{results.N.path}}` in string arguments with the quoted part of an earlier tool result. */
function fill(value: unknown, results: readonly ToolResult[]): unknown {
  if (typeof value === 'string') {
    return value.replace(/\{\{results\.(\d+)((?:\.[\w-]+)*)\}\}/g, (_, index: string, path: string) => {
      let current: unknown = results[Number(index)]?.value;
      for (const key of path.split('.').filter(Boolean)) current = (current as Record<string, unknown> | undefined)?.[key];
      return current === undefined ? '' : typeof current === 'string' ? current : JSON.stringify(current);
    });
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, results));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, results)]));
  return value;
}
