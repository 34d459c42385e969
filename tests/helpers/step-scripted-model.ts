import type { ModelChunk, ModelProvider, ModelRequest } from '../../src/core/model/model-provider';

/** One model step: text to stream and tool calls to make. */
export interface ScriptedStep {
  text?: string;
  toolCalls?: { name: string; arguments: unknown }[];
}

/** A ModelProvider that plays a fixed script, one step per call, and records what it was sent. */
export class StepScriptedModel implements ModelProvider {
  readonly id = 'scripted';
  readonly description = 'A scripted model for tests';
  readonly requests: ModelRequest[] = [];
  private step = 0;

  /** `pieceChars` streams text in pieces of that size; by default it comes in two halves. */
  constructor(
    private readonly steps: readonly ScriptedStep[],
    private readonly options: { pieceChars?: number } = {},
  ) {}

  async *stream(request: ModelRequest): AsyncIterable<ModelChunk> {
    this.requests.push(request);
    const step = this.steps[Math.min(this.step, this.steps.length - 1)]!;
    const index = this.step++;
    if (step.text) {
      // Split the text in deltas, as a real stream would: two halves, or pieces of `pieceChars`.
      const half = Math.floor(step.text.length / 2);
      const cuts = this.options.pieceChars ? range(this.options.pieceChars, step.text.length, this.options.pieceChars) : [half];
      let from = 0;
      for (const cut of [...cuts, step.text.length]) {
        yield { type: 'text-delta', text: step.text.slice(from, cut) };
        from = cut;
      }
    }
    for (const [i, call] of (step.toolCalls ?? []).entries()) {
      yield { type: 'tool-call', id: `call_${index}_${i}`, name: call.name, arguments: call.arguments };
    }
    yield { type: 'finish', reason: step.toolCalls?.length ? 'tool-calls' : 'stop' };
  }
}

function range(start: number, end: number, step: number): number[] {
  const out: number[] = [];
  for (let i = start; i < end; i += step) out.push(i);
  return out;
}
