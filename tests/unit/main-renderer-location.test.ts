import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveRendererLocation } from '../../src/main/renderer-location';
import { isRendererUrl } from '../../src/main/security-policy';

const mainDir = join('/opt', 'portcullis', 'out', 'main');
const rendererDir = join('/opt', 'portcullis', 'out', 'renderer');

describe('resolveRendererLocation', () => {
  it('serves the built renderer next to the main bundle on app://, never as a file:// page', () => {
    const location = resolveRendererLocation({ mainDir, devUrl: undefined, isPackaged: false });
    expect(location).toEqual({ rendererDir, appUrl: 'app://portcullis/index.html' });
    expect(isRendererUrl(location.appUrl, location)).toBe(true);
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
