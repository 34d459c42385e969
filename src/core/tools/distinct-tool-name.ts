import { createHash } from 'node:crypto';

/**
 * The longest tool name the model APIs and MCP clients take (`^[a-zA-Z0-9_-]{1,64}$`: OpenAI's and Gemini's APIs
 * refuse the whole request, Claude Desktop and Codex the whole server, for one longer).
 */
const MAX_TOOL_NAME = 64;

/**
 * `base`, or the first of `base_2`, `base_3`… that `taken` does not hold, each cut to fit: two of Portcullis' names
 * that come out the same in another alphabet (`my.srv.x`, `my__srv.x`) are told apart by a number, in the order given.
 */
export function distinctToolName(base: string, original: string, taken: { has(name: string): boolean }): string {
  let candidate = base;
  for (let n = 2; taken.has(candidate); n++) candidate = fittedToolName(`${base}_${n}`, original);
  return candidate;
}

/** `candidate` as it is when it fits, else cut with a hash of the whole `original` (a server's name may be 64 characters and its tool's 128). */
export function fittedToolName(candidate: string, original: string): string {
  if (candidate.length <= MAX_TOOL_NAME) return candidate;
  const hash = createHash('sha256').update(original).digest('hex').slice(0, 8);
  return `${candidate.slice(0, MAX_TOOL_NAME - hash.length - 1)}_${hash}`;
}
