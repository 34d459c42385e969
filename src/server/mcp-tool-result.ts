import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { DirectCallOutcome } from '../shared/domain/direct-call';

/** Where the trace of a call is, for a client that wants to point its person at it (Traces in Portcullis). */
export const TRACE_META_KEY = 'portcullis/traceId';
/**
 * Set when the result came from outside the person's control (an MCP server, the web; a server whose `"trustedOutput"`
 * holds only when its call reached the web or a file outside): the client's model should not take orders from it.
 */
export const UNTRUSTED_META_KEY = 'portcullis/untrusted';
/**
 * Who answered the approval the call needed, as its record and trace keep it (approval-decider.ts): "person: allow_once",
 * "api: key "nightly"", "timeout"…; absent when nothing was asked. The text says it in words; this is for a program.
 */
export const DECIDED_BY_META_KEY = 'portcullis/decidedBy';

function isCallToolResult(value: unknown): value is CallToolResult {
  return typeof value === 'object' && value !== null && Array.isArray((value as { content?: unknown }).content);
}

/** What a result carries besides its content: its trace, whether it is untrusted, who answered its approval. */
export function resultMeta(outcome: DirectCallOutcome): Record<string, unknown> {
  return {
    ...(outcome.traceId === undefined ? {} : { [TRACE_META_KEY]: outcome.traceId }),
    ...(outcome.untrusted ? { [UNTRUSTED_META_KEY]: true } : {}),
    ...(outcome.decidedBy === undefined ? {} : { [DECIDED_BY_META_KEY]: outcome.decidedBy }),
  };
}

/**
 * A governed call's outcome as MCP's tools/call result: an MCP tool's content as its server gave it (cut down with
 * Portcullis' notice when it was too large), a built-in tool's result as JSON text, and a denial or an error as
 * `isError` with words that say who refused it and why, so the client's model can tell the two apart; tool names
 * in those words as the client knows them (`namedForClient`).
 */
export function toMcpToolResult(outcome: DirectCallOutcome, namedForClient: (text: string) => string = (text) => text): CallToolResult {
  const _meta = resultMeta(outcome);
  if (outcome.outcome === 'denied') {
    // The gateway's reason may open with the same words ("fs.write did not run: …"): said once.
    const reason = (outcome.reason ?? outcome.error?.message ?? 'denied').replace(`${outcome.tool} did not run: `, '');
    const text = `Portcullis did not run ${outcome.tool}: ${reason} (${outcome.error?.code ?? 'DENIED'})`;
    return { isError: true, content: [{ type: 'text', text: namedForClient(text) }], _meta };
  }
  if (outcome.outcome === 'error') {
    const error = outcome.error ?? { code: 'TOOL_FAILED', message: `${outcome.tool} failed.` };
    return { isError: true, content: [{ type: 'text', text: namedForClient(`${error.code}: ${error.message}`) }], _meta };
  }
  const result = outcome.result;
  // First, so the client's model reads it before it takes the result for its own arguments'.
  const edited: CallToolResult['content'] =
    outcome.editedArguments === undefined ? [] : [{ type: 'text', text: namedForClient(`The person edited the arguments in Portcullis before allowing ${outcome.tool}; it ran with ${JSON.stringify(outcome.editedArguments)}, not with the arguments you sent.`) }];
  if (isCallToolResult(result)) {
    const { content, structuredContent } = result;
    return { content: [...edited, ...content], ...(structuredContent === undefined ? {} : { structuredContent }), _meta };
  }
  const text = typeof result === 'string' ? result : (JSON.stringify(result ?? null, null, 2) ?? 'null');
  return { content: [...edited, { type: 'text', text }], _meta };
}
