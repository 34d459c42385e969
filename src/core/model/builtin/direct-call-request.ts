import type { ModelRequest } from '../model-provider';

/** A tool name, then optionally its arguments as a JSON object: `everything.echo {"message": "hi"}`. */
const DIRECT_CALL = /^\/?([A-Za-z0-9_-]+\.[A-Za-z0-9_.-]+)(?:\s+([\s\S]+))?$/;

/**
 * A message that names one of the conversation's tools and gives its arguments as JSON asks for exactly that call.
 * It lets a person use any tool (an MCP server's included) with no model installed, through the same policy,
 * approval and sandbox as a model's call. Returns the call, a sentence about what is wrong with it, or undefined
 * when the message is not of that form.
 */
export function directCallRequest(text: string, request: ModelRequest): { name: string; arguments: Record<string, unknown> } | string | undefined {
  const match = DIRECT_CALL.exec(text.trim());
  if (!match) return undefined;
  const [, name, json] = match as unknown as [string, string, string | undefined];
  if (!request.tools.some((tool) => tool.name === name)) return undefined;
  if (json === undefined) return { name, arguments: {} };
  let args: unknown;
  try {
    args = JSON.parse(json);
  } catch (error) {
    return `The arguments after ${name} are not valid JSON (${error instanceof Error ? error.message : String(error)}). Give them as one object, for example: ${name} {"key": "value"}`;
  }
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return `The arguments after ${name} must be one JSON object, for example: ${name} {"key": "value"}`;
  return { name, arguments: args as Record<string, unknown> };
}
