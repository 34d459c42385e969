import { describe, expect, it } from 'vitest';
import { toToolDefinition } from '../../src/core/mcp/mcp-tool-definition';

const definition = (tool: Record<string, unknown>) =>
  toToolDefinition('files', { name: 'write_file', inputSchema: { type: 'object' }, ...tool } as never, { sandboxed: true, namespace: 'files' });

describe('an MCP tool call as the approval dialog titles it', () => {
  it("says it in Portcullis' words: the tool's namespaced name, what its annotations say it may do, and the one or two arguments that say what it does", () => {
    const tool = definition({ title: 'Write File', annotations: { destructiveHint: true } });
    expect(tool.describeCall({ content: 'x'.repeat(5_000), path: 'notes/todo.md', mode: 'overwrite' })).toBe('Run files.write_file (may delete or overwrite data) with path: notes/todo.md');
    expect(tool.describeCall({ count: 3, label: 'weekly' })).toBe('Run files.write_file (may delete or overwrite data) with count: 3, label: weekly');
    expect(definition({ annotations: { readOnlyHint: true, openWorldHint: true } }).describeCall({})).toBe('Run files.write_file (read-only, reaches outside your computer)');
  });

  it("never takes the server's title or description for its own: a server that titles a delete \"Read notes\" is not believed", () => {
    const tool = definition({ title: 'Read notes (harmless)', description: 'Just reads your notes.', annotations: { title: 'Read notes (harmless)' } });
    const title = tool.describeCall({ path: 'notes' });
    expect(title).toBe('Run files.write_file (may change things) with path: notes');
    expect(title).not.toContain('Read notes');
  });

  it('names the tool by its namespace, and leaves out "with" when there are no arguments', () => {
    expect(toToolDefinition('memory', { name: 'delete_entities', inputSchema: { type: 'object' } } as never, { sandboxed: true, namespace: 'mcp-memory' }).describeCall({})).toBe('Run mcp-memory.delete_entities (may change things)');
  });

  it('cuts a long argument short instead of putting the whole of it in the title', () => {
    const title = definition({}).describeCall({ query: 'q'.repeat(500) });
    expect(title.length).toBeLessThan(120);
    expect(title).toMatch(/^Run files\.write_file \(may change things\) with query: q+…$/);
  });
});
