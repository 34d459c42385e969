/** Memory requests the built-in model understands: "remember that …", "what do you remember about …". */
export type MemoryIntent = { kind: 'remember'; content: string } | { kind: 'recall'; query: string };

const REMEMBER = /^(?:please\s+)?remember\s+(?:that\s+)?([\s\S]+?)[.!]?$/i;
const RECALL = /^(?:what\s+do\s+you\s+remember\s+about|search\s+(?:my\s+)?memories\s+for|recall)\s+([\s\S]+?)\??$/i;

export function parseMemoryRequest(text: string): MemoryIntent | null {
  const recall = RECALL.exec(text);
  if (recall) return { kind: 'recall', query: recall[1]! };
  const remember = REMEMBER.exec(text);
  if (remember) return { kind: 'remember', content: remember[1]! };
  return null;
}

/** The built-in model's sentence for a memory tool's result. */
export function describeMemoryResult(toolName: string, value: Record<string, unknown>): string | null {
  if (toolName === 'memory.save') return `I'll remember that: "${String((value.saved as { content?: string })?.content ?? '')}".`;
  if (toolName === 'memory.search') {
    const hits = (value.hits as { snippet: string }[] | undefined) ?? [];
    if (hits.length === 0) return `I don't remember anything about "${String(value.query)}".`;
    return `Here is what I remember:\n${hits.map((h) => `- ${h.snippet}`).join('\n')}`;
  }
  if (toolName === 'memory.forget') return `Forgotten: "${String((value.forgotten as { content?: string })?.content ?? '')}".`;
  return null;
}
