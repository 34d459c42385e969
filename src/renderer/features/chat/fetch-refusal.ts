import type { ToolCallRecord } from '../../../shared/domain/tool-call';

/**
 * The host an http.fetch call was refused for because it is off the allowlist (in the words of
 * HttpFetchRunner's refusal), or null: the card then offers to allow it on Tools & servers.
 */
export function hostOffFetchAllowlist(call: Pick<ToolCallRecord, 'toolName' | 'error'>): string | null {
  if (call.toolName !== 'http.fetch' || !call.error) return null;
  return /http\.fetch refused: (\S+) \(from [^)]*\) is not on the http\.fetch allowlist\./.exec(call.error.message)?.[1] ?? null;
}
