import type { ModelChunk, ModelMessage, ModelProvider, ModelRequest } from '../model-provider';
import { parseBuiltinRequest, type BuiltinIntent } from './request-parser';
import { describeToolResult } from './result-description';

export const BUILTIN_MODEL_HELP =
  "I'm Portcullis's built-in offline model: I can list, read and write files in your workspace, for example " +
  '"list the files", "read notes.md" or "write hello.txt with hi". For open-ended chat, connect a model ' +
  '(Ollama, llama.cpp, LM Studio or a hosted API) in Settings.';

/**
 * A model that needs no network and no weights: it turns the file requests it understands into tool calls and
 * describes their results. It never pretends to understand anything else.
 */
export class BuiltinModel implements ModelProvider {
  readonly id = 'builtin';
  readonly description = 'Built-in offline model (files only: list, read, write)';
  private callCounter = 0;

  async *stream(request: ModelRequest): AsyncIterable<ModelChunk> {
    const last = request.messages.at(-1);
    if (last?.role === 'tool') {
      yield* streamText(describeToolResults(request.messages));
      return;
    }
    const intent = last?.role === 'user' ? parseBuiltinRequest(last.content) : ({ kind: 'unknown' } as const);
    const call = toToolCall(intent);
    if (call && request.tools.some((tool) => tool.name === call.name)) {
      yield { type: 'tool-call', id: `builtin-${++this.callCounter}`, name: call.name, arguments: call.arguments };
      yield { type: 'finish', reason: 'tool-calls' };
      return;
    }
    yield* streamText(call ? `I would use ${call.name} for that, but it is not available in this conversation.` : BUILTIN_MODEL_HELP);
  }
}

function toToolCall(intent: BuiltinIntent): { name: string; arguments: Record<string, unknown> } | null {
  switch (intent.kind) {
    case 'list':
      return { name: 'fs.list', arguments: { path: intent.path } };
    case 'read':
      return { name: 'fs.read', arguments: { path: intent.path } };
    case 'write':
      return { name: 'fs.write', arguments: { path: intent.path, content: intent.content } };
    case 'remember':
      return { name: 'memory.save', arguments: { content: intent.content } };
    case 'recall':
      return { name: 'memory.search', arguments: { query: intent.query } };
    case 'unknown':
      return null;
  }
}

/** Describes the tool results that follow the last assistant message. */
function describeToolResults(messages: readonly ModelMessage[]): string {
  const results: Extract<ModelMessage, { role: 'tool' }>[] = [];
  for (let i = messages.length - 1; i >= 0 && messages[i]!.role === 'tool'; i--) {
    results.unshift(messages[i] as Extract<ModelMessage, { role: 'tool' }>);
  }
  return results.map(describeToolResult).join('\n\n');
}

async function* streamText(text: string): AsyncIterable<ModelChunk> {
  // Word by word, so the built-in model exercises the same streaming path as real models.
  for (const piece of text.match(/\S+\s*|\s+/g) ?? []) yield { type: 'text-delta', text: piece };
  yield { type: 'finish', reason: 'stop' };
}
