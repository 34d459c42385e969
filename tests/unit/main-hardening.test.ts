import { describe, expect, it, vi } from 'vitest';
import { dispatchAuthorized } from '../../src/core/auth/authorized-dispatch';
import { fullAccessPrincipal } from '../../src/core/auth/scopes';
import type { RequestHandlers } from '../../src/shared/api/contract';
import { CONTENT_SECURITY_POLICY } from '../../src/shared/content-security-policy';
import { isAllowedExternalUrl, openExternalIfAllowed } from '../../src/main/external-links';
import { hardenWebContents, type HardenableWebContents, type SavableDownload } from '../../src/main/harden-web-contents';
import { createInvokeHandler } from '../../src/main/invoke-handler';
import type { SenderInfo, TrustedSenderExpectation } from '../../src/main/security-policy';

const APP_URL = 'app://portcullis/index.html';
const renderer = { appUrl: APP_URL };

describe('shell.openExternal allowlist', () => {
  it.each([
    'https://example.com/docs',
    'https://example.com:8443/x?y=1#z',
    'mailto:someone@example.com',
    // A local MCP server's sign-in page (its OAuth authorize URL), which the Tools page links to.
    'http://localhost:8080/authorize?client_id=x',
    'http://127.0.0.1:9000/authorize',
    'http://[::1]:9000/authorize',
  ])('allows %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(true);
  });

  it.each([
    'http://example.com/',
    'http://localhost.evil.example/',
    'http://127.0.0.2.nip.io/',
    'http://user:pass@localhost/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,<script>1</script>',
    'smb://server/share',
    'ms-msdt:/id PCWDiagnostic',
    'vscode://file/etc/passwd',
    'https://user:pass@example.com/',
    'HTTPS-not-a-url',
    '',
    'mailto:',
  ])('refuses %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });

  it('calls the opener only for allowed URLs', () => {
    const open = vi.fn(async () => {});
    expect(openExternalIfAllowed('file:///etc/passwd', open)).toBe(false);
    expect(open).not.toHaveBeenCalled();
    expect(openExternalIfAllowed('https://example.com/', open)).toBe(true);
    expect(open).toHaveBeenCalledExactlyOnceWith('https://example.com/');
  });
});

/** A stand-in for Electron's WebContents that records what the hardening registered. */
function fakeWebContents(currentUrl = APP_URL) {
  const listeners = new Map<string, (event: { preventDefault(): void }, url?: string) => void>();
  let windowOpen: ((details: { url: string }) => { action: 'deny' }) | undefined;
  let permissionRequest: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
  let permissionCheck: (() => boolean) | undefined;
  let headers: Parameters<HardenableWebContents['session']['webRequest']['onHeadersReceived']>[0] | undefined;
  let willDownload: ((event: { preventDefault(): void }, item: SavableDownload) => void) | undefined;
  const contents = {
    getURL: () => currentUrl,
    setWindowOpenHandler: (handler: typeof windowOpen) => (windowOpen = handler),
    on: (name: string, listener: (event: { preventDefault(): void }, url?: string) => void) => void listeners.set(name, listener),
    session: {
      on: (_name: 'will-download', listener: typeof willDownload) => (willDownload = listener),
      setPermissionRequestHandler: (handler: typeof permissionRequest) => (permissionRequest = handler),
      setPermissionCheckHandler: (handler: typeof permissionCheck) => (permissionCheck = handler),
      webRequest: { onHeadersReceived: (listener: typeof headers) => (headers = listener) },
    },
  } as unknown as HardenableWebContents;
  const fire = (name: string, url?: string): boolean => {
    let prevented = false;
    listeners.get(name)!({ preventDefault: () => (prevented = true) }, url);
    return prevented;
  };
  /** Offers a download; says whether it was cancelled and what the save dialog was told. */
  const download = (url: string, filename: string) => {
    const dialog = vi.fn();
    let cancelled = false;
    willDownload!({ preventDefault: () => (cancelled = true) }, { getURL: () => url, getFilename: () => filename, setSaveDialogOptions: dialog });
    return { cancelled, dialog };
  };
  return { contents, fire, download, windowOpen: () => windowOpen!, permissionRequest: () => permissionRequest!, permissionCheck: () => permissionCheck!, headers: () => headers! };
}

describe('hardenWebContents applies the checklist to the window', () => {
  const setup = () => {
    const fake = fakeWebContents();
    const open = vi.fn(async () => {});
    hardenWebContents(fake.contents, renderer, open);
    return { ...fake, open };
  };

  it('denies every window.open, sending only https/mailto links to the OS', () => {
    const { windowOpen, open } = setup();
    expect(windowOpen()({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(windowOpen()({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(windowOpen()({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(open).toHaveBeenCalledExactlyOnceWith('https://example.com/');
  });

  it('blocks navigation and redirects away from the renderer, allows a reload', () => {
    const { fire, open } = setup();
    expect(fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-navigate', 'app://portcullis/other.html')).toBe(true);
    expect(fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(fire('will-navigate', APP_URL)).toBe(false);
    expect(open).toHaveBeenCalledExactlyOnceWith('https://evil.example/');
  });

  it('refuses <webview> and every permission request or check', () => {
    const { fire, permissionRequest, permissionCheck } = setup();
    expect(fire('will-attach-webview')).toBe(true);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      permissionRequest()(null, permission, callback);
      expect(callback).toHaveBeenCalledExactlyOnceWith(false);
    }
    expect(permissionCheck()()).toBe(false);
  });

  it("saves only the renderer's own exports, always through the save dialog; refuses every other download", () => {
    const { download } = setup();
    const exported = download('blob:app://portcullis/0b6c3f1e-5f0c-4a57-9a43-1f1d6f6e2a10', 'trace-abc.otlp.json');
    expect(exported.cancelled).toBe(false);
    expect(exported.dialog).toHaveBeenCalledExactlyOnceWith({ title: 'Save trace-abc.otlp.json', defaultPath: 'trace-abc.otlp.json', filters: [{ name: 'JSON', extensions: ['json'] }] });
    for (const url of ['https://evil.example/payload.exe', 'blob:https://evil.example/0b6c3f1e', 'blob:file:///0b6c3f1e', 'file:///etc/passwd', 'data:application/json,{}']) {
      const refused = download(url, 'payload');
      expect(refused.cancelled, url).toBe(true);
      expect(refused.dialog).not.toHaveBeenCalled();
    }
  });

  it('hardens a session once, however many windows it serves (a window opened again on macOS)', () => {
    const { contents } = fakeWebContents();
    const on = vi.spyOn(contents.session, 'on');
    hardenWebContents({ ...contents, on: () => {} } as HardenableWebContents, renderer, async () => {});
    hardenWebContents({ ...contents, on: () => {} } as HardenableWebContents, renderer, async () => {});
    expect(on).toHaveBeenCalledOnce();
  });

  it('puts our CSP on every response in place of the one it carried', () => {
    const { headers } = setup();
    const callback = vi.fn();
    headers()({ responseHeaders: { 'Content-Security-Policy': ['default-src *'], 'X-Other': ['1'] } }, callback);
    expect(callback).toHaveBeenCalledExactlyOnceWith({ responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
});

// The window options themselves are checked in main-security-policy.test.ts (createWebPreferences).
describe('the CSP matches Electron’s checklist', () => {
  it('loads no remote content: every source is self, none or data images', () => {
    for (const directive of CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim())) {
      const [, ...sources] = directive.split(/\s+/);
      for (const source of sources) expect(["'self'", "'none'", "'unsafe-inline'", 'data:'], directive).toContain(source);
      if (directive.startsWith('script-src') || directive.startsWith('default-src')) expect(sources).toEqual(["'self'"]);
    }
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/\*|https?:|wss?:|'unsafe-eval'/);
  });
});

describe('IPC: unexpected frames and unknown channels are refused', () => {
  const expected: TrustedSenderExpectation = { webContentsId: 7, renderer };
  const trusted: SenderInfo = { frameUrl: APP_URL, isMainFrame: true, webContentsId: 7 };
  const setup = () => {
    const handler = vi.fn(async () => []);
    const handlers = new Proxy({}, { get: () => handler }) as unknown as RequestHandlers;
    const handle = createInvokeHandler({
      expectedSender: () => expected,
      dispatch: (channel, input) => dispatchAuthorized(handlers, fullAccessPrincipal('desktop'), channel, input),
    });
    return { handle, handler };
  };

  it.each<[string, SenderInfo]>([
    ['an iframe showing our own file', { ...trusted, isMainFrame: false }],
    ['a page that navigated elsewhere', { ...trusted, frameUrl: 'https://evil.example/' }],
    ['a data: URL frame', { ...trusted, frameUrl: 'data:text/html,hi' }],
    ['another window', { ...trusted, webContentsId: 8 }],
  ])('refuses a call from %s before anything runs', async (_name, sender) => {
    const { handle, handler } = setup();
    await expect(handle(sender, 'conversations.list', {})).resolves.toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(handler).not.toHaveBeenCalled();
  });

  it.each(['fs.readFile', '__proto__', 'constructor', 'conversations.list ', 42, null])('refuses the unknown channel %s', async (channel) => {
    const { handle, handler } = setup();
    await expect(handle(trusted, channel, {})).resolves.toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(handler).not.toHaveBeenCalled();
  });
});
