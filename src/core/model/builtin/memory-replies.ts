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
