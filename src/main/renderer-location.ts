import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RendererLocation } from './security-policy';

export interface ResolvedRenderer extends RendererLocation {
  /** The built renderer's index.html on disk, for `loadFile`. */
  filePath: string;
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
  const filePath = join(options.mainDir, '../renderer/index.html');
  const fileUrl = pathToFileURL(filePath).href;
  const devUrl = options.isPackaged ? undefined : httpUrlOrUndefined(options.devUrl);
  return devUrl ? { filePath, fileUrl, devUrl } : { filePath, fileUrl };
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
