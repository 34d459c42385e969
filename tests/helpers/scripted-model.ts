import type { ModelChunk, ModelProvider, ModelRequest } from '../../src/core/model/model-provider';

export type ScriptStep = { text: string } | { calls: Array<{ name: string; arguments: unknown }> };

/**
 * A model that follows a script: each call to the model takes the next step (a text answer, or tool calls);
 * a step may be a function of what the model was shown. Every request is kept for assertions.
 */
export class ScriptedModel implements ModelProvider {
  readonly id = 'scripted';
  readonly description = 'A scripted test model';
  readonly requests: ModelRequest[] = [];
  private next = 0;

  constructor(private readonly steps: Array<ScriptStep | ((request: ModelRequest) => ScriptStep)>) {}

  async *stream(request: ModelRequest): AsyncIterable<ModelChunk> {
    this.requests.push(request);
    const entry = this.steps[this.next++] ?? { text: 'done' };
    const step = typeof entry === 'function' ? entry(request) : entry;
    if ('text' in step) {
      yield { type: 'text-delta', text: step.text };
      yield { type: 'finish', reason: 'stop' };
      return;
    }
    let i = 0;
    for (const call of step.calls) yield { type: 'tool-call', id: `call-${this.next}-${i++}`, name: call.name, arguments: call.arguments };
    yield { type: 'finish', reason: 'tool-calls' };
  }
}
