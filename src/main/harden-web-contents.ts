/**
 * Electron's security checklist applied to a window's web contents. Written against the few methods it uses
 * (not electron's classes), so tests drive it with a fake and check each rule under plain Node.
 */
import { openExternalIfAllowed } from './external-links';
import { isDownloadAllowed, isNavigationAllowed, withContentSecurityPolicy, type RendererLocation } from './security-policy';

type Prevented = { preventDefault(): void };

/** The part of Electron's DownloadItem the hardening uses. */
export interface SavableDownload {
  getURL(): string;
  getFilename(): string;
  setSaveDialogOptions(options: { title?: string; defaultPath?: string; filters?: Array<{ name: string; extensions: string[] }> }): void;
}

export interface HardenableWebContents {
  getURL(): string;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: Prevented, url: string) => void): void;
  on(event: 'will-attach-webview', listener: (event: Prevented) => void): void;
  session: {
    on(event: 'will-download', listener: (event: Prevented, item: SavableDownload) => void): void;
    setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
    setPermissionCheckHandler(handler: () => boolean): void;
    webRequest: {
      onHeadersReceived(
        listener: (
          details: { responseHeaders?: Record<string, string | string[]> },
          callback: (response: { responseHeaders: Record<string, string | string[]> }) => void,
        ) => void,
      ): void;
    };
  };
}

/** Sessions already hardened: a window opened again (macOS, after its last one closed) shares the default one. */
const hardenedSessions = new WeakSet<object>();

export function hardenWebContents(contents: HardenableWebContents, renderer: RendererLocation, openExternal: (url: string) => Promise<void>): void {
  if (!hardenedSessions.has(contents.session)) {
    hardenedSessions.add(contents.session);
    hardenSession(contents.session, renderer);
  }
  // New windows never open inside the app; a link external-links.ts allows goes to the person's browser or mail client.
  contents.setWindowOpenHandler(({ url }) => {
    openExternalIfAllowed(url, openExternal);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (isNavigationAllowed(contents.getURL(), url, renderer)) return;
    event.preventDefault();
    openExternalIfAllowed(url, openExternal);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isNavigationAllowed(contents.getURL(), url, renderer)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** What holds for the whole session, set once: its listeners would otherwise pile up with every window. */
function hardenSession(session: HardenableWebContents['session'], renderer: RendererLocation): void {
  // Camera, microphone, notifications, geolocation, …: never granted, never even asked.
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  // Our CSP on every response, replacing whatever a response carried.
  session.webRequest.onHeadersReceived((details, callback) => callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) }));
  // Saving is the renderer's own exports only, and always through the save dialog (no silent path).
  session.on('will-download', (event, item) => {
    if (!isDownloadAllowed(item.getURL(), renderer)) return event.preventDefault();
    const name = item.getFilename();
    item.setSaveDialogOptions({ title: `Save ${name}`, defaultPath: name, filters: name.endsWith('.json') ? [{ name: 'JSON', extensions: ['json'] }] : [] });
  });
}
