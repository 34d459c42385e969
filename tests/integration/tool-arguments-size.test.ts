import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_ARGUMENT_CHARS } from '../../src/core/tools/argument-validator';
import { startTestRuntime } from '../helpers/test-runtime';

/**
 * A call whose arguments are larger than a call may carry is refused with a tool error before its tool worker gets
 * them (a string in them crossed into the worker's heap-limited thread whole, past the limit), and nothing is written.
 */
describe('a tool call with arguments past the size limit', () => {
  it('fails with the limit in its error, and its tool never runs', async () => {
    const t = startTestRuntime();
    const { record } = await t.runtime.callTool('fs.write', { path: 'big.txt', content: 'x'.repeat(MAX_ARGUMENT_CHARS) });
    expect(record).toMatchObject({ status: 'failed', error: { code: 'TOOL_ARGUMENTS_INVALID', message: expect.stringContaining('more than the 10 million a call may carry') } });
    expect(existsSync(join(t.workspace, 'big.txt'))).toBe(false);
  });
});
