import { describe, expect, it } from 'vitest';
import { toolCallWrittenAsText } from '../../src/core/model/text-tool-call';

const tools = [{ name: 'fs.read', description: 'Read a file', inputSchema: { type: 'object' } }];

describe('a tool call a model on native calls wrote as text', () => {
  it('is found in a <tool_call> block, in a reply that is nothing but a call, and after the <think> a reasoning model opens with', () => {
    expect(toolCallWrittenAsText('I will read it.\n<tool_call>{"name": "fs.read", "arguments": {"path": "a.md"}}</tool_call>', tools)?.message).toMatch(/^The model wrote its call of fs\.read as text/);
    expect(toolCallWrittenAsText('{"name": "fs__read", "arguments": {"path": "a.md"}}', tools)?.code).toBe('MODEL_OUTPUT_INVALID');
    expect(toolCallWrittenAsText('<think>It wants {"path": "a.md"}.</think>\n{"name": "fs.read", "parameters": {"path": "a.md"}}', tools)?.message).toContain('fs.read {"path":"a.md"}');
    expect(toolCallWrittenAsText('[TOOL_CALLS][{"name": "fs__read", "arguments": {"path": "a.md"}}]', tools)?.message).toContain('fs.read {"path":"a.md"}');
    expect(toolCallWrittenAsText('<|python_tag|>{"name": "fs.read", "parameters": {"path": "a.md"}}', tools)?.message).toContain('fs.read {"path":"a.md"}');
  });

  it('is not an answer that shows JSON or names a tool in passing', () => {
    expect(toolCallWrittenAsText('Here is the call you asked about: {"name": "fs.read", "arguments": {"path": "a.md"}}', tools)).toBeNull();
    expect(toolCallWrittenAsText('{"name": "Bob", "arguments": {"age": 3}}', tools)).toBeNull();
    expect(toolCallWrittenAsText('I read a.md with fs.read: it says hi.', tools)).toBeNull();
  });
});
