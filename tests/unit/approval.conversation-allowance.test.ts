import { describe, expect, it } from 'vitest';
import { conversationAllowanceHolds } from '../../src/shared/domain/approval';

const taint = [{ toolName: 'mcp-memory.read_graph', toolCallId: 't1', description: 'output of mcp-memory.read_graph on memory, a server Portcullis does not control', at: 1 }];

describe('"Allow for this conversation" is offered only where it would hold', () => {
  it('holds in a conversation without untrusted content', () => {
    expect(conversationAllowanceHolds({ annotations: {} })).toBe(true);
  });

  it('would not hold, once the conversation read untrusted content, for a tool that changes things or reaches out', () => {
    expect(conversationAllowanceHolds({ taint, annotations: {} })).toBe(false);
    expect(conversationAllowanceHolds({ taint, annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false } })).toBe(false);
    expect(conversationAllowanceHolds({ taint, annotations: { readOnlyHint: true } })).toBe(false); // open-world by MCP's default
  });

  it('still holds there for a tool that only reads and stays on this computer', () => {
    expect(conversationAllowanceHolds({ taint, annotations: { readOnlyHint: true, openWorldHint: false } })).toBe(true);
  });
});
