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
