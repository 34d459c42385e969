import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from '../../src/shared/content-security-policy';

/** The policy index.html's <meta http-equiv="Content-Security-Policy"> carries, as written. */
function metaPolicyOfIndexHtml(): string {
  const html = readFileSync(join(__dirname, '../../src/renderer/index.html'), 'utf8');
  const match = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html);
  if (!match) throw new Error('index.html has no CSP meta tag');
  return match[1]!;
}

// The desktop app loads index.html from file://, where the header CSP may never be delivered: its meta tag must
// hold the whole policy, where it allowed WebSockets to any server (connect-src ws: wss:) and frames and workers.
describe("index.html's CSP meta tag", () => {
  it('is the shared policy, less what a meta tag cannot carry', () => {
    expect(metaPolicyOfIndexHtml()).toBe(META_CONTENT_SECURITY_POLICY);
  });

  it('leaves out only frame-ancestors (ignored in a meta tag), nothing that limits the page', () => {
    expect(META_CONTENT_SECURITY_POLICY).toBe(CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", ''));
    expect(metaPolicyOfIndexHtml()).not.toMatch(/wss?:|\*|https?:/);
  });
});
