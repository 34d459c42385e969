import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { dispatchRequest } from '../../src/core/api/dispatch';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { storedFiles } from '../helpers/stored-files';
import { nextEvent, startTestRuntime } from '../helpers/test-runtime';

// One word, so the search index would hold it whole (it splits words at hyphens).
const CANARY = 'heroncanary8842';

const diskHolds = (dataDir: string, needle: string) => storedFiles(dataDir).some((file) => readFileSync(file).includes(Buffer.from(needle)));

describe('deleting and renaming a conversation', () => {
  it('deletes its messages, tool calls and traces from both files, records the deletion, and keeps the others', async () => {
    const { runtime, dataDir } = startTestRuntime({ approvalGate: new FixedApprovalGate('all') });
    const doomed = await runtime.handlers['conversations.create']({});
    const first = await runtime.startTurn(doomed.id, `list the files ${CANARY}`).done;
    const second = await runtime.startTurn(doomed.id, 'write notes.txt with hello').done;
    expect(second.toolCalls).toMatchObject([{ toolName: 'fs.write', status: 'succeeded' }]);
    const kept = await runtime.handlers['conversations.create']({ title: 'kept' });
    const keptTurn = await runtime.startTurn(kept.id, 'list the files').done;
    expect((await runtime.handlers['search.query']({ query: CANARY })).length).toBeGreaterThan(0);
    expect((await runtime.handlers['traces.list']({ conversationId: doomed.id })).length).toBe(2);

    const deleted = await runtime.handlers['conversations.delete']({ conversationId: doomed.id });
    expect(deleted.messages).toBe(8);
    expect(deleted.spans).toBeGreaterThan(6);

    expect((await runtime.handlers['conversations.list']({})).map((c) => c.id)).toEqual([kept.id]);
    await expect(runtime.handlers['messages.list']({ conversationId: doomed.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    for (const traceId of [first.traceId, second.traceId]) expect(await runtime.handlers['traces.spans']({ traceId })).toEqual([]);
    expect(await runtime.handlers['traces.list']({ conversationId: doomed.id })).toEqual([]);
    expect(await runtime.handlers['search.query']({ query: CANARY })).toEqual([]);
    // The other conversation and its trace are untouched.
    expect((await runtime.handlers['messages.list']({ conversationId: kept.id })).length).toBe(4);
    expect((await runtime.handlers['traces.spans']({ traceId: keptTurn.traceId })).length).toBeGreaterThan(2);
    // Overwritten, not only unlinked: the text is in neither file nor its WAL.
    expect(diskHolds(dataDir, CANARY)).toBe(false);
    // The deletion is itself on the audit chain, which still verifies.
    expect(await runtime.handlers['audit.verify']({})).toMatchObject({ ok: true });
    const db = new BetterSqlite3(join(dataDir, 'portcullis.db'), { readonly: true });
    const entry = db.prepare("SELECT data_json FROM audit_log WHERE kind = 'conversation.deleted'").pluck().get() as string;
    db.close();
    expect(JSON.parse(entry)).toEqual({ conversationId: doomed.id, messages: 8, spans: deleted.spans });

    await expect(runtime.handlers['conversations.delete']({ conversationId: doomed.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses while a turn runs there (its call waits for approval), as does delete everything, and deletes once it is stopped', async () => {
    const t = startTestRuntime();
    const { runtime } = t;
    const conversation = await runtime.handlers['conversations.create']({});
    const requested = nextEvent(t, 'approval.requested');
    const turn = runtime.startTurn(conversation.id, 'write notes.txt with hello');
    await requested;
    await expect(runtime.handlers['conversations.delete']({ conversationId: conversation.id })).rejects.toMatchObject({
      code: 'TURN_IN_PROGRESS',
      message: expect.stringMatching(/Press Stop/),
    });
    // Nor is everything deleted from under it (its taint and records would have no conversation to belong to).
    await expect(runtime.handlers['data.deleteAll']({ confirm: 'delete everything' })).rejects.toMatchObject({ code: 'TURN_IN_PROGRESS', message: expect.stringMatching(/Press Stop there/) });
    expect((await runtime.handlers['conversations.list']({})).map((c) => c.id)).toEqual([conversation.id]);
    await runtime.handlers['chat.stop']({ conversationId: conversation.id });
    await turn.done;
    await runtime.handlers['conversations.delete']({ conversationId: conversation.id });
    expect(await runtime.handlers['conversations.list']({})).toEqual([]);
  });

  it('deletes a private conversation from memory, with its trace', async () => {
    const { runtime } = startTestRuntime();
    const open = await runtime.handlers['conversations.create']({ title: 'open' });
    const secret = await runtime.handlers['conversations.create']({ private: true });
    const result = await runtime.startTurn(secret.id, 'list the files').done;
    expect((await runtime.handlers['traces.spans']({ traceId: result.traceId })).length).toBeGreaterThan(2);

    expect(await runtime.handlers['conversations.delete']({ conversationId: secret.id })).toMatchObject({ messages: 4 });
    expect((await runtime.handlers['conversations.list']({})).map((c) => c.id)).toEqual([open.id]);
    expect(await runtime.handlers['traces.spans']({ traceId: result.traceId })).toEqual([]);
    await expect(runtime.handlers['messages.list']({ conversationId: secret.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('renames a conversation for good: a later turn does not retitle it, and a restart keeps it', async () => {
    const { runtime, dataDir } = startTestRuntime();
    const conversation = await runtime.handlers['conversations.create']({});
    // Through the host's parsing, as the window's request arrives: the title is trimmed, a blank one refused.
    const renamed = await dispatchRequest(runtime.handlers, 'conversations.rename', { conversationId: conversation.id, title: '  Quarterly notes ' });
    expect(renamed).toMatchObject({ ok: true, output: { id: conversation.id, title: 'Quarterly notes' } });
    expect(await dispatchRequest(runtime.handlers, 'conversations.rename', { conversationId: conversation.id, title: '   ' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    await runtime.startTurn(conversation.id, 'list the files').done;
    expect((await runtime.handlers['conversations.list']({}))[0]?.title).toBe('Quarterly notes');
    await expect(runtime.handlers['conversations.rename']({ conversationId: 'nope', title: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    await runtime.dispose();
    const again = startTestRuntime({ dataDir });
    expect((await again.runtime.handlers['conversations.list']({}))[0]?.title).toBe('Quarterly notes');
  });
});
