import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/** What a remote server, or the proxy in front of it, answers while it is briefly unwell: worth another try. */
const TRANSIENT_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/**
 * A remote server answered one request with an HTTP error such as 500 or 503. That request failed, and that is all:
 * its connection (the session) still stands, and a read-only or idempotent call is tried again.
 */
export function isTransientHttpFailure(error: unknown): error is StreamableHTTPError {
  return error instanceof StreamableHTTPError && error.code !== undefined && TRANSIENT_STATUSES.has(error.code);
}

/**
 * "answered HTTP 503 (upstream busy)": the status and the server's words, without the SDK's prefixes, its secrets
 * hidden (`redact`) before they are cut: a secret cut short is no longer found whole, and its start was shown.
 */
export function describeHttpFailure(error: StreamableHTTPError, redact: (text: string) => string = (text) => text): string {
  const words = redact(error.message.replace(/^Streamable HTTP error: (Error POSTing to endpoint: )?/, '')).trim().slice(0, 200);
  return `answered HTTP ${error.code}${words ? ` (${words})` : ''}`;
}
