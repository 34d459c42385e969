import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { callHost, type Host, startHost, stopHost } from '../helpers/headless-host';
import { tempDir } from '../helpers/temp-dir';
import { runCli } from '../helpers/cli-process';

/** A trace's root reaches traces.db a moment after the call returns (the span batcher). */
async function listed(dataDir: string, count: number, ...args: string[]): Promise<Array<Record<string, any>>> {
  for (let i = 0; i < 100; i++) {
    const { traces } = JSON.parse((await runCli('traces', 'list', '--json', '--data-dir', dataDir, ...args)).stdout) as { traces: Array<Record<string, any>> };
    if (traces.length >= count) return traces;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('timed out');
}

describe('portcullis traces list', () => {
  let host: Host | undefined;
  afterEach(() => stopHost(host));

  it('lists the newest traces first (id, when, outcome, what), so a script finds one without its id; --limit, a bad --limit', async () => {
    const dataDir = tempDir();
    expect(await runCli('traces', 'list', '--data-dir', dataDir)).toMatchObject({ code: 0, stdout: 'No traces are stored yet (or none match).\n' });
    const denied = JSON.parse((await runCli('tools', 'call', 'fs.write', '--args', '{"path":"a.txt","content":"x"}', '--json', '--data-dir', dataDir)).stdout) as { traceId: string };
    const ok = JSON.parse((await runCli('tools', 'call', 'fs.list', '--args', '{"path":"."}', '--json', '--data-dir', dataDir)).stdout) as { traceId: string };

    const traces = await listed(dataDir, 2);
    expect(traces.map((trace) => trace.traceId)).toEqual([ok.traceId, denied.traceId]);
    expect(traces[1]).toMatchObject({ status: 'ok', deniedCount: 1, toolNames: ['fs.write'], conversationTitle: expect.stringMatching(/^Terminal/), startTime: expect.any(Number) });

    const words = await runCli('traces', 'list', '--data-dir', dataDir);
    expect(words.code).toBe(0);
    const lines = words.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^${ok.traceId}  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC  ok  \\d+ ms  Terminal.*, tools: fs\\.list$`));
    expect(lines[1]).toMatch(new RegExp(`^${denied.traceId}  .* UTC  ok \\(1 denied\\)  .*, tools: fs\\.write$`));
    // The id a line starts with is the one traces show reads.
    expect((await runCli('traces', 'show', lines[1]!.split(' ')[0]!, '--data-dir', dataDir)).stdout).toContain('decision: ask');

    expect((await listed(dataDir, 1, '--limit', '1')).map((trace) => trace.traceId)).toEqual([ok.traceId]);
    expect((await listed(dataDir, 1, '--tool', 'fs.write')).map((trace) => trace.traceId)).toEqual([denied.traceId]);
    expect(await runCli('traces', 'list', '--limit', '0', '--data-dir', dataDir)).toMatchObject({ code: 2, stderr: expect.stringContaining('--limit takes a whole number from 1 to 1000') });
  }, 60_000);

  it('lists the running app\'s traces beside it, reading the files only', async () => {
    const dataDir = tempDir();
    mkdirSync(join(dataDir, 'workspace'), { recursive: true });
    writeFileSync(join(dataDir, 'workspace', 'a.txt'), 'alpha');
    host = await startHost(dataDir);
    const { traceId } = await callHost<{ traceId: string }>(host, 'tools.call', { name: 'fs.read', arguments: { path: 'a.txt' } });
    const traces = await listed(dataDir, 1);
    expect(traces[0]).toMatchObject({ traceId, status: 'ok', toolNames: ['fs.read'] });
    const words = await runCli('traces', 'list', '--data-dir', dataDir);
    expect(words).toMatchObject({ code: 0, stderr: '' });
    expect(words.stdout).toMatch(new RegExp(`^${traceId}  `));
  }, 60_000);
});
