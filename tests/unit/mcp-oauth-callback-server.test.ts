import { afterEach, describe, expect, it } from 'vitest';
import { OAuthCallbackServer } from '../../src/core/mcp/oauth/oauth-callback-server';

let callbacks: OAuthCallbackServer | undefined;
afterEach(async () => {
  await callbacks?.dispose();
  callbacks = undefined;
});

describe("the loopback callback for remote servers' sign-ins", () => {
  it('answers a malformed or unexpected request with 400 and keeps serving', async () => {
    callbacks = new OAuthCallbackServer();
    await callbacks.start();
    const redirect = callbacks.redirectUrl('hosted');
    const origin = new URL(redirect).origin;
    const code = callbacks.expect('hosted', 'the-state');
    // Any local program can send these: none may take the app down or end the sign-in.
    expect((await fetch(`${origin}/oauth/callback/%E0%A4%A`)).status).toBe(400);
    expect((await fetch(`${origin}/elsewhere`)).status).toBe(400);
    expect((await fetch(`${redirect}?code=stolen&state=guessed`)).status).toBe(400);
    expect((await fetch(`${redirect}?code=the-code&state=the-state`)).status).toBe(200);
    await expect(code).resolves.toBe('the-code');
  });
});
