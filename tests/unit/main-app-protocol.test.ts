import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_INDEX_URL, appAssetPath, respondToAppRequest } from '../../src/main/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../src/shared/content-security-policy';

// out/ as the build leaves it: the renderer folder, and beside it what must never be served (the main bundle).
const out = mkdtempSync(join(tmpdir(), 'portcullis-app-protocol-'));
const rendererDir = join(out, 'renderer');
mkdirSync(join(rendererDir, 'assets'), { recursive: true });
mkdirSync(join(out, 'main'));
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><script type="module" crossorigin src="./assets/index-abc.js"></script>');
writeFileSync(join(rendererDir, 'assets', 'index-abc.js'), 'console.log(1)');
writeFileSync(join(rendererDir, 'assets', 'index-abc.css'), 'body{}');
writeFileSync(join(out, 'main', 'index.js'), 'secret main bundle');
afterAll(() => rmSync(out, { recursive: true, force: true }));

const respond = (url: string) => respondToAppRequest(url, rendererDir, (file) => readFile(file));

describe('the app:// scheme the desktop window loads its UI from', () => {
  it('serves index.html with our CSP as a response header, where a file:// page could get none', async () => {
    const response = await respond(APP_INDEX_URL);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('./assets/index-abc.js');
    expect(await (await respond('app://portcullis/')).text()).toContain('<!doctype html>');
  });

  it('serves the bundle with the types module scripts and styles need', async () => {
    expect((await respond('app://portcullis/assets/index-abc.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await respond('app://portcullis/assets/index-abc.css?v=1#x')).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it.each([
    'app://portcullis/../main/index.js',
    'app://portcullis/%2e%2e/main/index.js',
    'app://portcullis/..%2Fmain%2Findex.js',
    'app://portcullis/assets/..%2F..%2Fmain/index.js',
    'app://portcullis/..%5Cmain%5Cindex.js',
    'app://portcullis/assets/%00.js',
    'app://portcullis/%E0%A4%A',
    'app://evil/index.html',
    'file:///etc/passwd',
    'app://portcullis/missing.js',
  ])('answers %s with 404, nothing outside the renderer folder', async (url) => {
    const response = await respond(url);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('secret');
  });

  it('names no file outside the folder, however the path is spelled', () => {
    expect(appAssetPath('app://portcullis/assets/index-abc.js', rendererDir)).toBe(join(rendererDir, 'assets', 'index-abc.js'));
    for (const url of ['app://portcullis/..%2F..%2F..%2Fetc%2Fpasswd', 'app://portcullis/%2F%2Fetc/passwd', 'app://PORTCULLIS.evil/index.html']) {
      const file = appAssetPath(url, rendererDir);
      expect(file === null || file.startsWith(rendererDir), url).toBe(true);
    }
  });
});
