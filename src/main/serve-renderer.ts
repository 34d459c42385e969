import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { APP_SCHEME, respondToAppRequest } from './app-protocol';

/**
 * Makes app:// a standard, secure scheme (relative URLs, same-origin module scripts, web storage; a secure
 * context). Electron allows this only before the app is ready, and only once. It does not bypass the CSP.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves the built renderer folder on app:// for the default session (the window's); main's fs reads app.asar. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => respondToAppRequest(request.url, rendererDir, (file) => readFile(file)));
}
