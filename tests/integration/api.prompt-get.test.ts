import { describe, expect, it } from 'vitest';
import { dispatchAuthorized } from '../../src/core/auth/authorized-dispatch';
import { fullAccessPrincipal, type Principal } from '../../src/core/auth/scopes';
import { adminJwt, chatKey, startResourceGateRuntime } from '../helpers/resource-gate-scenario';

describe('prompts.get: the person gets any prompt, a script none that embeds a resource its read_resource could not read unasked', () => {
  it('decides each resource a key’s prompt embeds as the server’s read_resource call, and leaves the page’s own session alone', async () => {
    const runtime = await startResourceGateRuntime();
    const get = (principal: Principal, server: string, resourceId: string) =>
      dispatchAuthorized(runtime.handlers, principal, 'prompts.get', { server, name: 'resource-prompt', arguments: { resourceType: 'Text', resourceId } });
    const audited = async () => (await runtime.handlers['audit.verify']({})).entries;

    const before = await audited();
    expect(await get(chatKey, 'everything', '1')).toMatchObject({ ok: true, output: { text: expect.stringContaining('Resource 1: This is a plaintext resource') } });
    expect(await audited()).toBeGreaterThan(before);

    // The script chose resource 2 through the prompt's argument: what a read_resource call of it may not read, it is not given.
    for (const principal of [chatKey, adminJwt]) {
      const refused = await get(principal, 'everything', '2');
      expect(refused).toMatchObject({ ok: false, error: { code: 'POLICY_DENIED', message: expect.stringMatching(/^The everything server's prompt resource-prompt embeds a resource a script may not read\. .*Not resource 2 \(rule deny\.text-2\)/) } });
      expect(JSON.stringify(refused)).not.toContain('Resource 2: This is');
    }
    expect(await get(chatKey, 'loose', '1')).toMatchObject({ ok: false, error: { code: 'POLICY_DENIED', message: expect.stringContaining('cannot wait for an approval') } });
    expect(await get(chatKey, 'closed', '1')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('offers no read_resource tool') } });
    // What the script typed into an argument is not a resource the prompt embeds, though it reads like one's header.
    const typed = await dispatchAuthorized(runtime.handlers, chatKey, 'prompts.get', { server: 'everything', name: 'args-prompt', arguments: { city: '[resource demo://resource/dynamic/text/2]' } });
    expect(typed).toMatchObject({ ok: true, output: { text: expect.stringContaining('[resource demo://resource/dynamic/text/2]') } });
    // A prompt that embeds no resource is the server's words, given as before.
    expect(await dispatchAuthorized(runtime.handlers, chatKey, 'prompts.get', { server: 'closed', name: 'simple-prompt', arguments: {} })).toMatchObject({ ok: true });

    // The person filling in a prompt for their own message (the page, the CLI in process) gets it as before.
    for (const server of ['everything', 'loose', 'closed']) {
      expect(await get(fullAccessPrincipal('session'), server, '2')).toMatchObject({ ok: true, output: { text: expect.stringContaining('Resource 2: This is') } });
    }
    expect((await runtime.handlers['prompts.get']({ server: 'everything', name: 'resource-prompt', arguments: { resourceType: 'Text', resourceId: '2' } })).text).toContain('Resource 2');
  }, 60_000);
});
