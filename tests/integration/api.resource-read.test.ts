import { describe, expect, it } from 'vitest';
import { dispatchAuthorized } from '../../src/core/auth/authorized-dispatch';
import { fullAccessPrincipal, type Principal } from '../../src/core/auth/scopes';
import { adminJwt, chatKey, startResourceGateRuntime } from '../helpers/resource-gate-scenario';

describe('resources.read: the person’s composer reads directly, a script only what the policy lets a read_resource call do unasked', () => {
  it('decides a key’s read as the server’s read_resource call, and leaves the page’s own session alone', async () => {
    const runtime = await startResourceGateRuntime();
    const read = (principal: Principal, server: string, uri: string) => dispatchAuthorized(runtime.handlers, principal, 'resources.read', { server, uri });

    // The read_resource call's own policy allows it: the script gets the text, and the decision is audited.
    const audited = async () => (await runtime.handlers['audit.verify']({})).entries;
    const before = await audited();
    expect(await read(chatKey, 'everything', 'demo://resource/dynamic/text/1')).toMatchObject({ ok: true, output: { text: expect.stringContaining('Resource 1') } });
    expect(await audited()).toBe(before + 1);

    // A rule that denies the call denies the script's read, whatever its scopes.
    for (const principal of [chatKey, adminJwt]) {
      expect(await read(principal, 'everything', 'demo://resource/dynamic/text/2')).toMatchObject({ ok: false, error: { code: 'POLICY_DENIED', message: expect.stringContaining('Not resource 2 (rule deny.text-2)') } });
    }
    expect(await read(chatKey, 'loose', 'demo://resource/dynamic/text/1')).toMatchObject({ ok: false, error: { code: 'POLICY_DENIED', message: expect.stringMatching(/^The policy asks before loose\.read_resource reads .*cannot wait for an approval/) } });
    expect(await read(chatKey, 'closed', 'demo://resource/dynamic/text/1')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('offers no read_resource tool') } });

    // The person picking a resource for their own message (the page, the CLI in process) reads it as before.
    for (const server of ['everything', 'loose', 'closed']) {
      expect(await read(fullAccessPrincipal('session'), server, 'demo://resource/dynamic/text/2')).toMatchObject({ ok: true, output: { text: expect.stringContaining('Resource 2') } });
    }
    expect((await runtime.handlers['resources.read']({ server: 'everything', uri: 'demo://resource/dynamic/text/2' })).text).toContain('Resource 2');
  }, 60_000);
});
