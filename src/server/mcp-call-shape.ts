/**
 * What is wrong with the shape of a single tools/call request, in words a client's developer can act on, or null
 * when its shape is right (or the body is something else). The SDK would answer such a request with an internal
 * error (-32603) whose message is its schema library's issue list as JSON.
 */
export function malformedToolCall(body: unknown): { id: string | number; problem: string } | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const { method, id, params } = body as { method?: unknown; id?: unknown; params?: unknown };
  if (method !== 'tools/call' || (typeof id !== 'string' && typeof id !== 'number')) return null;
  const kind = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`);
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return { id, problem: `params must be an object, not ${kind(params)}` };
  const { name, arguments: args } = params as { name?: unknown; arguments?: unknown };
  if (typeof name !== 'string') return { id, problem: name === undefined ? 'params.name, the tool to call, is missing' : `params.name must be the tool's name (a string), not ${kind(name)}` };
  if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) {
    return { id, problem: `params.arguments must be an object of the tool's arguments by name, not ${kind(args)}` };
  }
  return null;
}
