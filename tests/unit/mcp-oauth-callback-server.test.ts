import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OAuthCallbackServer } from '../../src/core/mcp/oauth/oauth-callback-server';
import { freePort } from '../helpers/free-port';

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

  it("serves a client registered with a fixed callback at localhost:PORT/callback, and names the port when it is taken", async () => {
    callbacks = new OAuthCallbackServer();
    const port = await freePort();
    await callbacks.start(port);
    const redirect = callbacks.redirectUrl('hosted', port);
    expect(redirect).toBe(`http://localhost:${port}/callback`);
    const code = callbacks.expect('hosted', 'the-state');
    expect((await fetch(`${redirect}?code=stolen&state=guessed`)).status).toBe(400);
    expect((await fetch(`${redirect}?code=the-code&state=the-state`)).status).toBe(200);
    await expect(code).resolves.toBe('the-code');

    const taken = createServer();
    const takenPort = await freePort();
    await new Promise<void>((resolve) => taken.listen(takenPort, '127.0.0.1', resolve));
    try {
      await expect(callbacks.start(takenPort)).rejects.toThrow(`its sign-in callback port ${takenPort} (oauth.callbackPort) is in use by another program`);
    } finally {
      taken.close();
    }
  });
});
