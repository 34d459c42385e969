import type { Route } from './intent-router';
import { messageOf } from '../../shared/errors';

/** A tool name, then optionally its arguments as a JSON object: `everything.echo {"message": "hi"}`. */
const DIRECT_CALL = /^\/?([A-Za-z0-9_-]+\.[A-Za-z0-9_.-]+)(?:\s+([\s\S]+))?$/;

/** The intent a direct call is routed as: the person named the tool, so no classifier is asked. */
export const DIRECT_CALL_INTENT = 'tool.direct';

export type DirectCall = { name: string; arguments: Record<string, unknown> } | { name: string; problem: string };

/**
 * A message that names a tool and gives its arguments as JSON asks for exactly that call. It lets a person use any
 * tool (an MCP server's included) with no model installed, through the same policy, approval and sandbox as a
 * model's call. Returns the call, or what is wrong with it (arguments that are no JSON object, or JSON arguments
 * for a tool `isTool` does not know: a typo should not reach the classifier, which may read it as something else),
 * or undefined when the message is not of that form (a bare `notes.md` is a file name, not a call). `nearest`
 * offers the tool a mistyped name most likely meant.
 */
export function parseDirectCall(
  text: string,
  isTool: (name: string) => boolean,
  whyAbsent?: (name: string) => string | undefined,
  nearest?: (name: string) => string | undefined,
): DirectCall | undefined {
  const match = DIRECT_CALL.exec(text.trim());
  if (!match) return undefined;
  const [, name, json] = match as unknown as [string, string, string | undefined];
  if (!isTool(name)) {
    // A tool held back, turned off or on a server that is down is one by name: say which, with or without arguments.
    const why = whyAbsent?.(name);
    if (why) return { name, problem: why };
    if (!json?.startsWith('{')) return undefined;
    const meant = nearest?.(name);
    return { name, problem: meant ? `There is no tool named ${name} here. Did you mean ${meant}?` : `There is no tool named ${name} here: the Tools & servers page lists every tool.` };
  }
  if (json === undefined) return { name, arguments: {} };
  let args: unknown;
  try {
    args = JSON.parse(json);
  } catch (error) {
    return { name, problem: `The arguments after ${name} are not valid JSON (${messageOf(error)}). Give them as one object, for example: ${name} {"key": "value"}` };
  }
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return { name, problem: `The arguments after ${name} must be one JSON object, for example: ${name} {"key": "value"}` };
  return { name, arguments: args as Record<string, unknown> };
}

/** The route of a direct call: certain, and offering the one tool named (the policy still decides the call). */
export function directCallRoute(name: string): Route {
  return { intent: DIRECT_CALL_INTENT, confidence: 1, confident: true, outOfScope: false, slots: {}, missingSlots: [], tools: [name], threshold: 1, alternatives: [] };
}

/** A direct call to fill in: the tool's name and its required arguments, each with an empty value of its type. */
export function directCallExample(name: string, inputSchema: Record<string, unknown>): string {
  const properties = (inputSchema.properties ?? {}) as Record<string, { type?: unknown } | undefined>;
  const required = Array.isArray(inputSchema.required) ? inputSchema.required.filter((key): key is string => typeof key === 'string') : [];
  if (required.length === 0) return name;
  const empty: Record<string, unknown> = { string: '', number: 0, integer: 0, boolean: false, array: [], object: {} };
  const args = Object.fromEntries(required.map((key) => {
    const type = properties[key]?.type;
    return [key, typeof type === 'string' && type in empty ? empty[type] : null];
  }));
  return `${name} ${JSON.stringify(args)}`;
}
