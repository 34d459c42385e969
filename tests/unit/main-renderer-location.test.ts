import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveRendererLocation } from '../../src/main/renderer-location';
import { isRendererUrl } from '../../src/main/security-policy';

const mainDir = join('/opt', 'portcullis', 'out', 'main');
const filePath = join('/opt', 'portcullis', 'out', 'renderer', 'index.html');

describe('resolveRendererLocation', () => {
  it('points at the built renderer next to the main bundle', () => {
    const location = resolveRendererLocation({ mainDir, devUrl: undefined, isPackaged: false });
    expect(location).toEqual({ filePath, fileUrl: pathToFileURL(filePath).href });
    expect(isRendererUrl(location.fileUrl, location)).toBe(true);
  });

  it('uses the dev server in an unpackaged app', () => {
    const location = resolveRendererLocation({ mainDir, devUrl: 'http://localhost:5173', isPackaged: false });
    expect(location.devUrl).toBe('http://localhost:5173/');
  });

  it('ignores the dev server variable in a packaged app, and anything that is not http(s)', () => {
    expect(resolveRendererLocation({ mainDir, devUrl: 'http://localhost:5173', isPackaged: true }).devUrl).toBeUndefined();
    expect(resolveRendererLocation({ mainDir, devUrl: 'file:///tmp/x.html', isPackaged: false }).devUrl).toBeUndefined();
    expect(resolveRendererLocation({ mainDir, devUrl: 'not a url', isPackaged: false }).devUrl).toBeUndefined();
  });
});
