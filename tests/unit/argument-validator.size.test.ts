import { describe, expect, it } from 'vitest';
import { ArgumentValidator, MAX_ARGUMENT_CHARS } from '../../src/core/tools/argument-validator';
import type { ToolDefinition } from '../../src/core/tools/tool-definition';

const write = {
  name: 'fs.write',
  description: 'writes a file',
  inputSchema: { type: 'object', properties: { path: { type: 'string' }, content: { type: 'string' } }, required: ['path', 'content'] },
} as unknown as ToolDefinition;

/**
 * A string in a call's arguments crosses into the tool worker's heap-limited thread whole, past its limit: the
 * arguments' size is refused before anything is decided or run.
 */
describe('ArgumentValidator and the size of a call\'s arguments', () => {
  const overhead = JSON.stringify({ path: 'big.txt', content: '' }).length;

  it('takes arguments up to the limit as JSON', () => {
    const content = 'x'.repeat(MAX_ARGUMENT_CHARS - overhead);
    expect(new ArgumentValidator().validate(write, { path: 'big.txt', content })).toMatchObject({ ok: true });
  });

  it('refuses arguments one character past it, saying how large they are and what the limit is', () => {
    const content = 'x'.repeat(MAX_ARGUMENT_CHARS - overhead + 1);
    expect(new ArgumentValidator().validate(write, { path: 'big.txt', content })).toEqual({
      ok: false,
      message: 'The arguments of fs.write are 10,000,001 characters as JSON, more than the 10 million a call may carry, so it did not run. Send less at a time.',
    });
  });
});
