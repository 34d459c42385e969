import { join } from 'node:path';
import { APP_INDEX_URL } from './app-protocol';
import type { RendererLocation } from './security-policy';

export interface ResolvedRenderer extends RendererLocation {
  /** The built renderer folder on disk (inside app.asar when packaged), served on app:// (app-protocol.ts). */
  rendererDir: string;
}

/**
 * Where the window loads its UI from. The dev server URL (set by `electron-vite dev`) is honoured only in an
 * unpackaged app: a packaged app must never load UI that an environment variable points at.
 */
export function resolveRendererLocation(options: {
  mainDir: string;
  devUrl: string | undefined;
  isPackaged: boolean;
}): ResolvedRenderer {
  const rendererDir = join(options.mainDir, '../renderer');
  const devUrl = options.isPackaged ? undefined : httpUrlOrUndefined(options.devUrl);
  return devUrl ? { rendererDir, appUrl: APP_INDEX_URL, devUrl } : { rendererDir, appUrl: APP_INDEX_URL };
}

function httpUrlOrUndefined(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
