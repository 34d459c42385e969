import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { storedFiles } from '../helpers/stored-files';
import { startTestRuntime } from '../helpers/test-runtime';

const CANARY = 'otter-canary-5521';

function diskBytes(dataDir: string): Buffer {
  const files = storedFiles(dataDir);
  expect(files.map((f) => basename(f))).toEqual(expect.arrayContaining(['portcullis.db', 'traces.db']));
  return Buffer.concat(files.map((f) => readFileSync(f)));
}

describe('private conversations', () => {
  it('work like any conversation but never reach the disk, and are gone after a restart', async () => {
    const { runtime, dataDir } = startTestRuntime({ approvalGate: new FixedApprovalGate('all') });
    const open = await runtime.handlers['conversations.create']({ title: 'open chat' });
    await runtime.startTurn(open.id, 'list the files').done;
    const secret = await runtime.handlers['conversations.create']({ private: true });
    expect(secret.private).toBe(true);
    const result = await runtime.startTurn(secret.id, `write notes.txt with ${CANARY}`).done;
    expect(result.toolCalls).toMatchObject([{ toolName: 'fs.write', approval: 'approved', status: 'succeeded' }]);

    const messages = await runtime.handlers['messages.list']({ conversationId: secret.id });
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(messages[2]?.toolCall).toMatchObject({ toolName: 'fs.write', status: 'succeeded' });
    expect((await runtime.handlers['traces.spans']({ traceId: result.traceId })).length).toBeGreaterThan(3);
    const listed = await runtime.handlers['conversations.list']({});
    expect(listed.find((c) => c.id === secret.id)).toMatchObject({ private: true });
    expect(listed.find((c) => c.id === open.id)?.private).toBeUndefined();

    // Nothing of it in the database file or its WAL: not the text, not its ids, not its trace.
    const bytes = diskBytes(dataDir);
    for (const needle of [CANARY, secret.id, result.traceId, result.turnId]) expect(bytes.includes(Buffer.from(needle))).toBe(false);
    expect(bytes.includes(Buffer.from(open.id))).toBe(true);

    // A memory from a private conversation would be written to disk: refused.
    const remembered = await runtime.startTurn(secret.id, `remember that ${CANARY} is private`).done;
    expect(remembered.toolCalls[0]).toMatchObject({ toolName: 'memory.save', status: 'failed', error: { message: expect.stringMatching(/private conversation/) } });
    expect(await runtime.handlers['memories.list']({})).toEqual([]);
    expect(diskBytes(dataDir).includes(Buffer.from(CANARY))).toBe(false);

    await runtime.dispose();
    const again = startTestRuntime({ dataDir });
    expect((await again.runtime.handlers['conversations.list']({})).map((c) => c.id)).toEqual([open.id]);
  });

  it('keep the trace of a retried turn in memory, even when it stores no message', async () => {
    const { runtime, dataDir } = startTestRuntime({ approvalGate: new FixedApprovalGate('all') });
    const secret = await runtime.handlers['conversations.create']({ private: true });
    // Stopped at once, the turn and then its retry end before any reply: only the person's message is stored.
    const stopped = runtime.startTurn(secret.id, `list the files ${CANARY}`);
    await runtime.handlers['chat.stop']({ conversationId: secret.id });
    expect((await stopped.done).error).toMatchObject({ code: 'TURN_STOPPED' });
    const retried = runtime.retryTurn(secret.id);
    await runtime.handlers['chat.stop']({ conversationId: secret.id });
    expect((await retried.done).error).toMatchObject({ code: 'TURN_STOPPED' });
    expect((await runtime.handlers['messages.list']({ conversationId: secret.id })).map((m) => m.role)).toEqual(['user']);
    expect((await runtime.handlers['traces.spans']({ traceId: retried.traceId })).length).toBeGreaterThan(0);

    await runtime.dispose(); // every span written
    const bytes = diskBytes(dataDir);
    for (const needle of [CANARY, secret.id, retried.traceId, stopped.traceId]) expect(bytes.includes(Buffer.from(needle)), needle).toBe(false);
  });

  it('"delete everything" forgets private conversations too', async () => {
    const { runtime } = startTestRuntime();
    const secret = await runtime.handlers['conversations.create']({ private: true });
    await runtime.startTurn(secret.id, 'list the files').done;
    await runtime.handlers['data.deleteAll']({ confirm: 'delete everything' });
    expect(await runtime.handlers['conversations.list']({})).toEqual([]);
  });
});
