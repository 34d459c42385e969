import { describe, expect, it } from 'vitest';
import { toToolDefinition } from '../../src/core/mcp/mcp-tool-definition';

const definition = (tool: Record<string, unknown>) =>
  toToolDefinition('files', { name: 'write_file', inputSchema: { type: 'object' }, ...tool } as never, { sandboxed: true, namespace: 'files' });

describe('an MCP tool call as the approval dialog titles it', () => {
  it('says it in words: the tool\'s title, its server, and the one or two arguments that say what it does', () => {
    const tool = definition({ title: 'Write File' });
    expect(tool.describeCall({ content: 'x'.repeat(5_000), path: 'notes/todo.md', mode: 'overwrite' })).toBe('Write File on the files server with path: notes/todo.md');
    expect(tool.describeCall({ count: 3, label: 'weekly' })).toBe('Write File on the files server with count: 3, label: weekly');
  });

  it('falls back to the tool\'s own name, and leaves out "with" when there are no arguments', () => {
    expect(definition({}).describeCall({})).toBe('write_file on the files server');
  });

  it('cuts a long argument short instead of putting the whole of it in the title', () => {
    const title = definition({}).describeCall({ query: 'q'.repeat(500) });
    expect(title.length).toBeLessThan(120);
    expect(title).toMatch(/^write_file on the files server with query: q+…$/);
  });
});
