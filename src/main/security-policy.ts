/**
 * The window's security decisions as plain data and functions. Nothing here imports electron at run time, so
 * the rules are tested under plain Node; `window.ts` and `ipc-bridge.ts` only apply them.
 */
import type { WebPreferences } from 'electron';

import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy';
import { isAppUrl } from './app-protocol';

export { CONTENT_SECURITY_POLICY };

/**
 * The renderer is untrusted: no Node, an isolated world for the preload, and Chromium's OS sandbox. DevTools only
 * in an unpackaged run: in a shipped app its console is one paste away from the window's full-access bridge, for
 * anyone who talks the person into pasting. Spelling only on macOS, where the OS checks it: on Windows and Linux
 * Chromium downloads Hunspell dictionaries from Google's CDN at start, a call out the app promises not to make.
 */
export function createWebPreferences(
  preloadPath: string,
  options: { isPackaged: boolean; platform?: NodeJS.Platform },
): WebPreferences {
  return {
    preload: preloadPath,
    devTools: !options.isPackaged,
    spellcheck: (options.platform ?? process.platform) === 'darwin',
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
  };
}

/** Where our renderer is served from: app://portcullis/ (app-protocol.ts), or (unpackaged dev runs only) the dev server. */
export interface RendererLocation {
  /** `app://portcullis/index.html` */
  appUrl: string;
  /** e.g. `http://localhost:5173/`; undefined in a packaged app. */
  devUrl?: string;
}

/** True when `url` is our renderer document. Hash and query are ignored (client-side state, same document). */
export function isRendererUrl(url: string, location: RendererLocation): boolean {
  const target = parseUrl(url);
  if (!target) return false;
  const app = parseUrl(location.appUrl);
  if (app && isAppUrl(target)) return target.host === app.host && target.pathname === app.pathname;
  const dev = location.devUrl ? parseUrl(location.devUrl) : null;
  if (dev && (target.protocol === 'http:' || target.protocol === 'https:')) {
    // The dev server serves the whole renderer from one origin.
    return target.origin === dev.origin;
  }
  return false;
}

/**
 * A page may only "navigate" to itself (e.g. a reload). Anything else, such as a link or a drag-dropped file,
 * would replace our UI (and the preload's bridge) with content we did not ship.
 */
export function isNavigationAllowed(fromUrl: string, toUrl: string, location: RendererLocation): boolean {
  const from = parseUrl(fromUrl);
  const to = parseUrl(toUrl);
  if (!from || !to) return false;
  from.hash = '';
  to.hash = '';
  return from.href === to.href && isRendererUrl(to.href, location);
}

/**
 * Only files the renderer made itself (a trace exported as OTLP JSON is a blob of its own) may be saved: a
 * download from anywhere else is refused. Our page's blobs are `blob:app://portcullis/…`; the dev server's carry
 * its origin.
 */
export function isDownloadAllowed(url: string, location: RendererLocation): boolean {
  if (!url.startsWith('blob:')) return false;
  const source = parseUrl(url.slice('blob:'.length));
  if (!source) return false;
  if (isAppUrl(source)) return true;
  const dev = location.devUrl ? parseUrl(location.devUrl) : null;
  return dev !== null && source.origin === dev.origin;
}

/** What the IPC bridge knows about the frame that sent a call. */
export interface SenderInfo {
  frameUrl: string;
  isMainFrame: boolean;
  webContentsId: number;
}

export interface TrustedSenderExpectation {
  webContentsId: number;
  renderer: RendererLocation;
}

/** Only our window's top frame, showing our renderer, may call the API: never an iframe or a foreign page. */
export function isTrustedSender(sender: SenderInfo, expected: TrustedSenderExpectation): boolean {
  return (
    sender.isMainFrame &&
    sender.webContentsId === expected.webContentsId &&
    isRendererUrl(sender.frameUrl, expected.renderer)
  );
}

/** Response headers with our CSP in place of any the response carried (header names are case-insensitive). */
export function withContentSecurityPolicy(
  headers: Record<string, string | string[]> | undefined,
): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') result[name] = value;
  }
  result['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return result;
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}
