/** The renderer's Content-Security-Policy, sent by every host that serves it: no inline or remote scripts. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  // 'self' covers the same host's ws:// (CSP3); a bare ws: would let a compromised page talk to any server.
  "connect-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "frame-src 'none'",
  "worker-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/** Directives a <meta> policy may not carry: browsers ignore them there and warn. */
const HEADER_ONLY_DIRECTIVES = ['frame-ancestors', 'report-uri', 'sandbox'];

/**
 * The same policy for the <meta> tag in index.html. The desktop app loads the renderer from file://, where a
 * response header may never be delivered (Electron's docs say webRequest cannot set it there), so the meta tag
 * is the policy that surely holds: it must be as strict as the header.
 */
export const META_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.split('; ')
  .filter((directive) => !HEADER_ONLY_DIRECTIVES.includes(directive.split(' ')[0]!))
  .join('; ');
