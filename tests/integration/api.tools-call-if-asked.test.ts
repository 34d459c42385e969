import { afterEach, describe, expect, it } from 'vitest';
import { callHost, type Host, startHost, stopHost } from '../helpers/headless-host';
import { tempDir } from '../helpers/temp-dir';

describe('tools.call with "ifAsked"', () => {
  let host: Host | undefined;
  afterEach(() => stopHost(host));

  it('"deny" denies a call the policy asks about at once, asking no one; without it the call waits for the person', async () => {
    host = await startHost(tempDir());
    const write = { name: 'fs.write', arguments: { path: 'a.txt', content: 'x' } };
    const denied = await callHost<Record<string, any>>(host, 'tools.call', { ...write, ifAsked: 'deny' });
    expect(denied).toMatchObject({ outcome: 'denied', status: 'denied', decision: { effect: 'ask' }, approval: 'denied', error: { code: 'APPROVAL_REJECTED' } });
    expect(denied.reason).toContain('denied without asking: its caller does not wait for an approval');
    // Where the answer would be waited for: the window, not "here" (a terminal, a script's JSON).
    expect(denied.reason).toContain('--approve ask (or "ifAsked": "wait") waits for the person\'s answer in Portcullis\' window');
    expect(await callHost<unknown[]>(host, 'approvals.pending')).toEqual([]);

    // The default waits: the approval is there for the person to decide.
    const waiting = callHost<Record<string, any>>(host, 'tools.call', write);
    let pending: Array<{ id: string; toolName: string }> = [];
    for (let i = 0; i < 100 && pending.length === 0; i++) {
      pending = await callHost(host, 'approvals.pending');
      if (pending.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(pending).toMatchObject([{ toolName: 'fs.write' }]);
    await callHost(host, 'approvals.decide', { approvalId: pending[0]!.id, choice: 'allow_once' });
    expect(await waiting).toMatchObject({ outcome: 'ok', approval: 'approved' });
  }, 60_000);
});
