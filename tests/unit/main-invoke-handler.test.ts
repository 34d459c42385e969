import { describe, expect, it, vi } from 'vitest';
import { dispatchRequest } from '../../src/core/api/dispatch';
import type { RequestHandlers } from '../../src/shared/api/contract';
import { createInvokeHandler } from '../../src/main/invoke-handler';
import type { SenderInfo, TrustedSenderExpectation } from '../../src/main/security-policy';

const APP_URL = 'app://portcullis/index.html';
const expected: TrustedSenderExpectation = { webContentsId: 3, renderer: { appUrl: APP_URL } };
const trusted: SenderInfo = { frameUrl: APP_URL, isMainFrame: true, webContentsId: 3 };

function setup(window: TrustedSenderExpectation | null = expected) {
  const info = vi.fn(async () => ({ version: '0.1.0', workspace: '/w', dataDir: '/d', model: { id: 'builtin', description: 'b' } }));
  const handlers = { 'app.info': info } as unknown as RequestHandlers;
  const rejected = vi.fn();
  const handle = createInvokeHandler({
    expectedSender: () => window,
    dispatch: (channel, input) => dispatchRequest(handlers, channel, input),
    onRejected: rejected,
  });
  return { handle, info, rejected };
}

describe('createInvokeHandler', () => {
  it('runs a call from our window through the contract dispatcher', async () => {
    const { handle, info } = setup();
    await expect(handle(trusted, 'app.info', {})).resolves.toMatchObject({ ok: true, output: { version: '0.1.0' } });
    expect(info).toHaveBeenCalledOnce();
  });

  it('still validates input from a trusted sender', async () => {
    const { handle, info } = setup();
    await expect(handle(trusted, 'app.info', { unexpected: true })).resolves.toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(info).not.toHaveBeenCalled();
  });

  it.each<[string, SenderInfo | null]>([
    ['a subframe', { ...trusted, isMainFrame: false }],
    ['another page', { ...trusted, frameUrl: 'https://evil.example/' }],
    ['another webContents', { ...trusted, webContentsId: 4 }],
    ['a destroyed frame', null],
  ])('refuses %s as UNAUTHORIZED without running anything', async (_name, sender) => {
    const { handle, info, rejected } = setup();
    const result = await handle(sender, 'app.info', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(info).not.toHaveBeenCalled();
    expect(rejected).toHaveBeenCalledExactlyOnceWith(sender);
  });

  it('refuses every call while there is no window', async () => {
    const { handle, info } = setup(null);
    await expect(handle(trusted, 'app.info', {})).resolves.toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(info).not.toHaveBeenCalled();
  });
});
