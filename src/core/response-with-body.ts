/**
 * The same response with another body: a bounded reading of it, or what stands in for it. Its length and encoding
 * (the body is already decoded) no longer describe it, so they go.
 */
export function responseWithBody(response: Response, body: ReadableStream<Uint8Array> | string): Response {
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  headers.delete('content-encoding');
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}
