import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { callHost, type Host, startHost, stopHost } from '../helpers/headless-host';
import { tempDir } from '../helpers/temp-dir';
import { runCli } from '../helpers/cli-process';
import { pollUntil } from '../helpers/poll-until';

describe('portcullis traces show', () => {
  let host: Host | undefined;
  afterEach(() => stopHost(host));

  it('prints the trace id `tools call` printed as its steps: the decision, the approval and who gave it, why it was denied', async () => {
    const dataDir = tempDir();
    const denied = JSON.parse((await runCli('tools', 'call', 'fs.write', '--args', '{"path":"a.txt","content":"x"}', '--json', '--data-dir', dataDir)).stdout) as { traceId: string };
    const shown = await runCli('traces', 'show', denied.traceId, '--data-dir', dataDir);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`^trace ${denied.traceId}  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC, `));
    expect(shown.stdout).toMatch(/\n {2}turn direct_call fs\.write: ok, at \+0 ms, took /);
    // Each step under the one it is part of: the policy and the approval inside the tool's.
    expect(shown.stdout).toMatch(/\n {4}tool execute_tool fs\.write: denied, at \+\d+ ms/);
    expect(shown.stdout).toMatch(/\n {6}policy policy fs\.write: ok[^\n]*\n {10}decision: ask \(rule default\.mutating\): fs\.write can change things/);
    expect(shown.stdout).toMatch(/\n {6}approval approval fs\.write: ok/);
    expect(shown.stdout).toContain('approval: denied, decided by script: --approve none (denied by --approve none, the default');
    expect(shown.stdout).toMatch(/why: APPROVAL_REJECTED/);
    expect(shown.stdout).toMatch(/event at \+\d+ ms: approval\.requested portcullis\.approval\.expires_at=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\n/);

    // --json: the spans as the viewer has them, in its order, with the status it shows.
    const json = await runCli('traces', 'show', denied.traceId, '--json', '--data-dir', dataDir);
    const { traceId, spans } = JSON.parse(json.stdout) as { traceId: string; spans: Array<Record<string, any>> };
    expect(traceId).toBe(denied.traceId);
    expect(spans[0]).toMatchObject({ kind: 'turn', parentSpanId: null, shownStatus: 'ok' });
    expect(spans.find((span) => span.kind === 'tool')).toMatchObject({ shownStatus: 'denied' });
    expect(spans.find((span) => span.kind === 'approval')).toMatchObject({ attributes: expect.objectContaining({ 'portcullis.approval.outcome': 'denied' }) });
    // Content (the arguments) only when asked for.
    expect(json.stdout).not.toContain('"gen_ai.tool.call.arguments"');
  }, 60_000);

  it('says a failed step as an error, and refuses an id that is not one (2) or has no spans (1)', async () => {
    const dataDir = tempDir();
    const failed = JSON.parse((await runCli('tools', 'call', 'fs.read', '--args', '{"path":"missing.txt"}', '--json', '--data-dir', dataDir)).stdout) as { traceId: string };
    const shown = await runCli('traces', 'show', failed.traceId, '--data-dir', dataDir);
    expect(shown.stdout).toMatch(/error: .*missing\.txt/);

    const bad = await runCli('traces', 'show', 'nope', '--data-dir', dataDir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('A trace id is 32 hex characters');
    const none = await runCli('traces', 'show', '0'.repeat(32), '--data-dir', dataDir);
    expect(none).toMatchObject({ code: 1, stdout: expect.stringContaining(`No spans are stored for trace ${'0'.repeat(32)}`) });
  }, 60_000);

  it('reads a trace beside the running app, without starting a runtime of its own', async () => {
    const dataDir = tempDir();
    const workspace = join(dataDir, 'workspace');
    mkdirSync(workspace, { recursive: true });
    writeFileSync(join(workspace, 'a.txt'), 'alpha');
    host = await startHost(dataDir);
    const { traceId } = await callHost<{ traceId: string }>(host, 'tools.call', { name: 'fs.read', arguments: { path: 'a.txt' } });
    const shown = await runCli('traces', 'show', traceId, '--data-dir', dataDir);
    expect(shown).toMatchObject({ code: 0, stderr: '' });
    expect(shown.stdout).toMatch(/tool .*fs\.read: ok/);
    expect(shown.stdout).toMatch(/decision: allow/);
  }, 60_000);

  it('says a trace still under way in the running app (a call waiting for an approval) is so, with the steps that ended', async () => {
    const dataDir = tempDir();
    host = await startHost(dataDir);
    const { id } = await callHost<{ id: string }>(host, 'conversations.create', {});
    const { traceId } = await callHost<{ traceId: string }>(host, 'chat.send', { conversationId: id, text: 'fs.write {"path":"a.txt","content":"hi"}' });
    const [waiting] = await pollUntil(() => callHost<Array<{ id: string }>>(host!, 'approvals.pending'), (list) => list.length > 0);
    const during = await pollUntil(() => runCli('traces', 'show', traceId, '--data-dir', dataDir), (shown) => shown.stdout.includes('decision: ask'));
    expect(during.code).toBe(0);
    expect(during.stdout).toMatch(new RegExp(`^trace ${traceId}  .* UTC, UNDER WAY: \\d+ steps ended so far \\(a step is stored when it ends`));
    expect(JSON.parse((await runCli('traces', 'show', traceId, '--json', '--data-dir', dataDir)).stdout)).toMatchObject({ traceId, underWay: true });

    await callHost(host, 'approvals.decide', { approvalId: waiting!.id, choice: 'deny' });
    const after = await pollUntil(() => runCli('traces', 'show', traceId, '--json', '--data-dir', dataDir), (shown) => !(JSON.parse(shown.stdout) as { underWay: boolean }).underWay);
    expect((JSON.parse(after.stdout) as { spans: unknown[] }).spans[0]).toMatchObject({ kind: 'turn', parentSpanId: null });
    expect((await runCli('traces', 'show', traceId, '--data-dir', dataDir)).stdout).not.toContain('UNDER WAY');
  }, 60_000);

  it('says a private conversation\'s trace is kept in the app\'s memory only, where it finds none on disk', async () => {
    const dataDir = tempDir();
    host = await startHost(dataDir);
    const { id } = await callHost<{ id: string }>(host, 'conversations.create', { private: true });
    const { traceId } = await callHost<{ traceId: string }>(host, 'chat.send', { conversationId: id, text: 'list the files' });
    // The app has it, finished: its turn's own step is there.
    await pollUntil(() => callHost<Array<{ parentSpanId: string | null }>>(host!, 'traces.spans', { traceId }), (spans) => spans.some((span) => span.parentSpanId === null));
    const shown = await runCli('traces', 'show', traceId, '--data-dir', dataDir);
    expect(shown).toMatchObject({ code: 1, stdout: expect.stringContaining("or be a private conversation's (kept in the app's memory only: its Trace button shows it)") });
  }, 60_000);
});
