import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { chaosServer, writeMcpConfig } from '../helpers/mcp';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

const TOO_LARGE = 'larger than the 10 MB that one JSON-RPC message may have';

describe("a stdio server's line beyond 10 MB that names neither a method nor a request", () => {
  it('fails the one call waiting with the error that names the limit, or none when it is no JSON (a stray print); the server is kept, not restarted', async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { loud: { command: process.execPath, args: [chaosServer, '--log', join(dataDir, 'loud.log')], sandbox: false, maxRetries: 0, timeoutMs: 60_000 } });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
    await runtime.mcp.settled();
    const status = () => runtime.mcp.status().find((s) => s.name === 'loud')!;

    // Its answer with the id in its middle: the only call waiting fails at once, clearly, not at its time limit.
    const started = Date.now();
    const buried = await runtime.callTool('loud.big', { mb: 11, unnamed: 'buried' });
    expect(buried.record.error).toEqual({ code: 'TOOL_FAILED', message: `loud.big failed: the loud server's answer was ${TOO_LARGE}, and Portcullis did not read it.` });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(status()).toMatchObject({ state: 'connected', restarts: 0 });

    // 11 MB printed to stdout is no message: dropped, and the call has its own answer.
    const printed = await runtime.callTool('loud.big', { mb: 11, unnamed: 'print' });
    expect(printed.record.result).toEqual({ content: [{ type: 'text', text: 'printed' }] });
    expect((await runtime.callTool('loud.echo', { message: 'still here' })).record.status).toBe('succeeded');
    expect(status()).toMatchObject({ state: 'connected', restarts: 0 });
    expect(status().stderrTail.split('\n').filter((l) => l.startsWith('Portcullis dropped'))).toEqual([
      expect.stringMatching(new RegExp(`^Portcullis dropped a message of the server's ${TOO_LARGE}, unread; its start and end named no request, and it was taken for the answer to request \\d+, the only one waiting, which failed\\.$`)),
      `Portcullis dropped a line that is no JSON-RPC message of the server's ${TOO_LARGE}, unread.`,
    ]);
    await runtime.dispose();
  }, 120_000);
});
