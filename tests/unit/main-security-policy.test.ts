import { describe, expect, it } from 'vitest';
import {
  isDownloadAllowed,
  CONTENT_SECURITY_POLICY,
  createWebPreferences,
  isNavigationAllowed,
  isRendererUrl,
  isTrustedSender,
  withContentSecurityPolicy,
  type RendererLocation,
  type TrustedSenderExpectation,
} from '../../src/main/security-policy';

const APP_URL = 'app://portcullis/index.html';
const packaged: RendererLocation = { appUrl: APP_URL };
const dev: RendererLocation = { appUrl: APP_URL, devUrl: 'http://localhost:5173/' };

describe('createWebPreferences', () => {
  it('locks the renderer down and points at the given preload', () => {
    const prefs = createWebPreferences('/opt/portcullis/out/preload/index.js', { isPackaged: true });
    expect(prefs).toMatchObject({
      preload: '/opt/portcullis/out/preload/index.js',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    });
  });

  it('opens DevTools only in an unpackaged run, never in the shipped app', () => {
    expect(createWebPreferences('/p/index.js', { isPackaged: true }).devTools).toBe(false);
    expect(createWebPreferences('/p/index.js', { isPackaged: false }).devTools).toBe(true);
  });

  it('checks spelling only with the OS spellchecker (macOS), never with dictionaries downloaded from Google', () => {
    expect(createWebPreferences('/p/index.js', { isPackaged: true, platform: 'darwin' }).spellcheck).toBe(true);
    expect(createWebPreferences('/p/index.js', { isPackaged: true, platform: 'linux' }).spellcheck).toBe(false);
    expect(createWebPreferences('/p/index.js', { isPackaged: true, platform: 'win32' }).spellcheck).toBe(false);
  });
});

describe('CONTENT_SECURITY_POLICY', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

  it('has the required directives', () => {
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('frame-src')).toEqual(["'none'"]);
    expect(directives.get('img-src')).toEqual(["'self'", 'data:']);
  });

  it('never allows eval or inline scripts', () => {
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-eval'");
    expect(directives.get('script-src')).not.toContain("'unsafe-inline'");
  });

  it('replaces a CSP header the response carried, whatever its case, and keeps the other headers', () => {
    const headers = withContentSecurityPolicy({
      'content-security-policy': ["default-src *"],
      'Content-Type': ['text/html'],
    });
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
    expect(withContentSecurityPolicy(undefined)).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });
});

describe('isRendererUrl', () => {
  it('accepts our document on app://, with or without hash and query', () => {
    expect(isRendererUrl(APP_URL, packaged)).toBe(true);
    expect(isRendererUrl(`${APP_URL}#/traces`, packaged)).toBe(true);
    expect(isRendererUrl(`${APP_URL}?x=1`, packaged)).toBe(true);
  });

  it('rejects files, other documents, other hosts, and the dev server when there is none', () => {
    expect(isRendererUrl('file:///tmp/evil.html', packaged)).toBe(false);
    expect(isRendererUrl('file:///opt/portcullis/out/renderer/index.html', packaged)).toBe(false);
    expect(isRendererUrl('app://portcullis/other.html', packaged)).toBe(false);
    expect(isRendererUrl('app://evil/index.html', packaged)).toBe(false);
    expect(isRendererUrl('https://example.com/', packaged)).toBe(false);
    expect(isRendererUrl('http://localhost:5173/', packaged)).toBe(false);
    expect(isRendererUrl('not a url', packaged)).toBe(false);
    expect(isRendererUrl('', packaged)).toBe(false);
  });

  it('accepts the dev server origin only, in dev', () => {
    expect(isRendererUrl('http://localhost:5173/', dev)).toBe(true);
    expect(isRendererUrl('http://localhost:5173/index.html', dev)).toBe(true);
    expect(isRendererUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isRendererUrl('https://localhost:5173/', dev)).toBe(false);
    expect(isRendererUrl('http://127.0.0.1:5173/', dev)).toBe(false);
  });
});

describe('isNavigationAllowed', () => {
  it('allows a navigation to the same document only', () => {
    expect(isNavigationAllowed(APP_URL, APP_URL, packaged)).toBe(true);
    expect(isNavigationAllowed(`${APP_URL}#/a`, `${APP_URL}#/b`, packaged)).toBe(true);
  });

  it('denies navigation to any other URL', () => {
    expect(isNavigationAllowed(APP_URL, 'https://example.com/', packaged)).toBe(false);
    expect(isNavigationAllowed(APP_URL, 'file:///etc/passwd', packaged)).toBe(false);
    expect(isNavigationAllowed(APP_URL, 'app://portcullis/other.html', packaged)).toBe(false);
    expect(isNavigationAllowed(APP_URL, 'javascript:alert(1)', packaged)).toBe(false);
    expect(isNavigationAllowed(APP_URL, 'garbage', packaged)).toBe(false);
  });

  it('denies navigating to another address of our own renderer', () => {
    expect(isNavigationAllowed(APP_URL, `${APP_URL}?next=1`, packaged)).toBe(false);
    expect(isNavigationAllowed('http://localhost:5173/', 'http://localhost:5173/other', dev)).toBe(false);
  });

  it('denies "same URL" when that URL is not our renderer', () => {
    expect(isNavigationAllowed('https://example.com/', 'https://example.com/', packaged)).toBe(false);
  });
});

describe('isDownloadAllowed', () => {
  it("allows the renderer's own blobs only", () => {
    expect(isDownloadAllowed('blob:app://portcullis/6f1c2a70-1b0e-4e0c-9d53-4c1a2b3c4d5e', packaged)).toBe(true);
    expect(isDownloadAllowed('blob:http://localhost:5173/6f1c2a70', dev)).toBe(true);
  });

  it.each([
    'blob:http://localhost:5173/6f1c2a70',
    'blob:https://evil.example/6f1c2a70',
    'blob:app://evil/6f1c2a70',
    'blob:file:///6f1c2a70',
    'blob:null/6f1c2a70',
    'https://evil.example/x.json',
    'file:///etc/passwd',
    'blob:',
  ])(
    'refuses %s in a packaged app',
    (url) => expect(isDownloadAllowed(url, packaged)).toBe(false),
  );
});

describe('isTrustedSender', () => {
  const expected: TrustedSenderExpectation = { webContentsId: 7, renderer: packaged };
  const main = { frameUrl: APP_URL, isMainFrame: true, webContentsId: 7 };

  it('trusts the main frame of our window showing our renderer', () => {
    expect(isTrustedSender(main, expected)).toBe(true);
    expect(isTrustedSender({ ...main, frameUrl: `${APP_URL}#/chat` }, expected)).toBe(true);
  });

  it('rejects a subframe, even one showing our own file', () => {
    expect(isTrustedSender({ ...main, isMainFrame: false }, expected)).toBe(false);
  });

  it('rejects frames showing another origin or file', () => {
    expect(isTrustedSender({ ...main, frameUrl: 'https://evil.example/' }, expected)).toBe(false);
    expect(isTrustedSender({ ...main, frameUrl: 'file:///tmp/index.html' }, expected)).toBe(false);
    expect(isTrustedSender({ ...main, frameUrl: 'app://portcullis/other.html' }, expected)).toBe(false);
    expect(isTrustedSender({ ...main, frameUrl: 'http://localhost:5173/' }, expected)).toBe(false);
  });

  it('rejects another webContents', () => {
    expect(isTrustedSender({ ...main, webContentsId: 8 }, expected)).toBe(false);
  });
});
