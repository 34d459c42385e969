import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/domain/message';
import type { ApprovalRequest } from '../../src/shared/domain/approval';
import type { ToolCallRecord } from '../../src/shared/domain/tool-call';
import { describeDecision, refusalNote } from '../../src/shared/tool-call-words';
import { callHost, type Host, startHost, stopHost } from '../helpers/headless-host';
import { runCli } from '../helpers/cli-process';
import { pollUntil } from '../helpers/poll-until';
import { tempDir } from '../helpers/temp-dir';

/** One request of the local API with `token` (an API key's), its output or its error. */
async function callAs<T>(host: Host, token: string, channel: string, body: unknown): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${host.port}/api/${channel}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const reply = (await response.json()) as { ok: boolean; output?: T; error?: { code: string; message: string } };
  if (!reply.ok) throw new Error(`${channel}: ${reply.error?.code} ${reply.error?.message}`);
  return reply.output as T;
}

/** Every tool call the host's conversations hold, as their cards read them. */
async function calls(host: Host): Promise<ToolCallRecord[]> {
  const conversations = await callHost<Array<{ id: string }>>(host, 'conversations.list');
  const all: ToolCallRecord[] = [];
  for (const { id } of conversations) {
    for (const message of await callHost<Message[]>(host, 'messages.list', { conversationId: id })) if (message.toolCall) all.push(message.toolCall);
  }
  return all;
}

/** Sends `text` in a new conversation with the person's session and returns the approval it waits for. */
async function askedFor(host: Host, text: string): Promise<{ request: ApprovalRequest; traceId: string }> {
  const { id } = await callHost<{ id: string }>(host, 'conversations.create');
  const { traceId } = await callHost<{ traceId: string }>(host, 'chat.send', { conversationId: id, text });
  const pending = await pollUntil(() => callHost<ApprovalRequest[]>(host, 'approvals.pending'), (list) => list.some((r) => r.conversationId === id));
  return { request: pending.find((r) => r.conversationId === id)!, traceId };
}

/** The call `toolCallId` once it has ended. */
async function ended(host: Host, toolCallId: string): Promise<ToolCallRecord> {
  const found = await pollUntil(() => calls(host), (all) => all.some((call) => call.id === toolCallId && call.endedAt !== null));
  return found.find((call) => call.id === toolCallId)!;
}

describe('who answered an approval: kept with the call, said on its card and to the model', () => {
  let host: Host | undefined;
  afterEach(() => stopHost(host));

  it("a script's --approve list and --approve none: not told as the person's denial, and read back so after a restart", async () => {
    const dataDir = tempDir();
    const listed = await runCli('tools', 'call', 'fs.write', '--args', '{"path":"a.txt","content":"x"}', '--approve', 'fs.read,memory.*', '--json', '--data-dir', dataDir);
    const said = (JSON.parse(listed.stdout) as { error: { message: string } }).error.message;
    expect(said).toMatch(/^fs\.write was denied by the script's --approve option, not by a person\. Note: "denied by --approve "fs\.read,memory\.\*": fs\.write matches none/);
    const chat = await runCli('chat', '--json', '--data-dir', dataDir, 'fs.write {"path":"b.txt","content":"hi"}');
    // The built-in model says what it was told, not "You denied fs.write".
    expect(chat.stdout).not.toContain('You denied');
    expect(chat.stdout).toContain("denied by the script's --approve option");

    host = await startHost(dataDir);
    const cards = (await calls(host)).map((call) => [describeDecision(call), refusalNote(call)?.slice(0, 26)]);
    expect(cards).toEqual(expect.arrayContaining([
      ["denied by the script's --approve list", 'Note: “denied by --approve'],
      ["denied by the script's --approve none", 'Note: “denied by --approve'],
    ]));
    expect(existsSync(join(dataDir, 'workspace', 'a.txt'))).toBe(false);
  }, 60_000);

  it('an API key with the approve scope: its name on the card, in the trace, and to the model; the person\'s own still "by you"', async () => {
    const dataDir = tempDir();
    host = await startHost(dataDir);
    const { key } = JSON.parse((await runCli('keys', 'create', '--name', 'nightly', '--scope', 'approve', '--json', '--data-dir', dataDir)).stdout) as { key: string };

    const refused = await askedFor(host, 'fs.write {"path":"k.txt","content":"x"}');
    await callAs(host, key, 'approvals.decide', { approvalId: refused.request.id, choice: 'deny', note: 'too risky' });
    const byKey = await ended(host, refused.request.toolCallId);
    expect(describeDecision(byKey)).toBe('denied by key "nightly"');
    expect(refusalNote(byKey)).toBe('Note: “too risky”');
    expect(byKey.error?.message).toBe('fs.write was denied by key "nightly", a program allowed to answer approvals, not by a person. Note: "too risky"');
    const shown = await runCli('traces', 'show', refused.traceId, '--data-dir', dataDir);
    expect(shown.stdout).toContain('approval: denied, decided by api: key "nightly" (too risky)');

    const allowed = await askedFor(host, 'fs.write {"path":"k.txt","content":"x"}');
    await callAs(host, key, 'approvals.decideMany', { approvalIds: [allowed.request.id], choice: 'allow_once' });
    expect(describeDecision(await ended(host, allowed.request.toolCallId))).toBe('approved by key "nightly"');

    // A rule the key made with "Always allow" says it was the key's choice, and so does the audit log.
    const always = await askedFor(host, 'fs.write {"path":"r.txt","content":"x"}');
    await callAs(host, key, 'approvals.decide', { approvalId: always.request.id, choice: 'always_allow', argumentsHash: always.request.argumentsHash });
    await ended(host, always.request.toolCallId);
    const { userRules } = await callHost<{ userRules: Array<{ reason: string }> }>(host, 'policy.status');
    expect(userRules.map((rule) => rule.reason)).toEqual(['key "nightly" chose "Always allow" for fs.write with these arguments.']);
    const audit = await runCli('audit', 'list', 'approval.decided', '--json', '--data-dir', dataDir);
    const entries = (JSON.parse(audit.stdout) as { entries: Array<{ data: { choice: string; decidedBy: string } }> }).entries;
    expect(entries.map((entry) => [entry.data.choice, entry.data.decidedBy])).toEqual([['deny', 'api: key "nightly"'], ['allow_once', 'api: key "nightly"'], ['always_allow', 'api: key "nightly"']]);

    // "Allow for this conversation" a key chose: the calls it lets run say it was the key's choice.
    const granted = await askedFor(host, 'fs.write {"path":"g.txt","content":"x"}');
    await callAs(host, key, 'approvals.decide', { approvalId: granted.request.id, choice: 'allow_conversation' });
    await ended(host, granted.request.toolCallId);
    await callHost(host, 'chat.send', { conversationId: granted.request.conversationId, text: 'fs.write {"path":"g.txt","content":"y"}' });
    const later = await pollUntil(() => calls(host!), (all) => all.filter((call) => call.conversationId === granted.request.conversationId && call.endedAt !== null).length === 2);
    const allowed2 = later.filter((call) => call.conversationId === granted.request.conversationId).at(-1)!;
    expect([describeDecision(allowed2), allowed2.decision?.reason]).toEqual(['allowed for this conversation by key "nightly"', 'key "nightly" allowed fs.write for this conversation.']);

    const own = await askedFor(host, 'fs.write {"path":"p.txt","content":"x"}');
    await callHost(host, 'approvals.decide', { approvalId: own.request.id, choice: 'deny', note: 'mine' });
    const byPerson = await ended(host, own.request.toolCallId);
    expect([describeDecision(byPerson), refusalNote(byPerson), byPerson.error?.message]).toEqual(['denied by you', 'Your note: “mine”', 'The person denied fs.write. Their note: "mine"']);
  }, 60_000);

  it('a caller that does not wait (ifAsked deny), and no answer in time', async () => {
    const dataDir = tempDir();
    host = await startHost(dataDir, ['--approval-timeout', '1s']);
    const { id } = await callHost<{ id: string }>(host, 'conversations.create');
    await callHost(host, 'chat.send', { conversationId: id, text: 'fs.write {"path":"u.txt","content":"x"}', ifAsked: 'deny' });
    const unasked = (await pollUntil(() => calls(host!), (all) => all.some((call) => call.endedAt !== null)))[0]!;
    expect(describeDecision(unasked)).toBe('denied unasked: its caller does not wait');
    expect(unasked.error?.message).toMatch(/^fs\.write was denied by its caller, which does not wait for approvals, not by a person\. Note: "denied without asking/);

    // Not seen through approvals.pending: the approval lapses 1 s after it is asked, and a poll on a busy machine
    // can come after that. The call's end says what happened to it.
    const { id: waited } = await callHost<{ id: string }>(host, 'conversations.create');
    await callHost(host, 'chat.send', { conversationId: waited, text: 'fs.write {"path":"t.txt","content":"x"}' });
    const timedOut = (await pollUntil(() => calls(host!), (all) => all.some((call) => call.conversationId === waited && call.endedAt !== null)))
      .find((call) => call.conversationId === waited)!;
    expect(describeDecision(timedOut)).toBe('timed out after 1 s');
    expect(timedOut.decidedBy).toBe('timeout');
  }, 60_000);
});
