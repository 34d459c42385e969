import type { SearchHit } from '../../../shared/domain/memory';
import type { RevealTarget } from '../chat/reveal-target';

/**
 * Where opening a hit shows its conversation: at the message, at the card of the call whose result it is in, or,
 * for a memory, at the message it was learned from (its end once that message is gone).
 */
export function revealOf(hit: SearchHit): Pick<RevealTarget, 'kind' | 'id'> | undefined {
  if (hit.kind === 'tool_result') return { kind: 'tool_call', id: hit.id };
  if (hit.kind === 'message') return { kind: 'message', id: hit.id };
  return memorySource(hit);
}

/** Where a memory's conversation opens (its hit, its Source): at the message it was learned from, when it has one. */
export function memorySource(memory: { sourceMessageId?: string | null | undefined }): Pick<RevealTarget, 'kind' | 'id'> | undefined {
  return memory.sourceMessageId ? { kind: 'message', id: memory.sourceMessageId } : undefined;
}

/** Whose words a hit is: the person's, the agent's, a memory, or what a tool returned. */
export function hitSource(hit: SearchHit): string {
  if (hit.kind === 'memory') return 'Memory';
  if (hit.kind === 'tool_result') return 'Tool result';
  // A direct call's request was made by a script, an MCP client or the terminal: named, not "You".
  return hit.role === 'user' ? (hit.author ?? 'You') : 'Agent';
}

/**
 * Where a hit is, after its source: "from fs.read in “Quarter review”", "in “Quarter review”". The title is quoted:
 * it is often the first message's words ("read notes.md"), which read unquoted as part of the sentence.
 */
export function hitPlace(hit: SearchHit): string | null {
  const conversation = hit.conversationTitle ? `in “${hit.conversationTitle}”` : null;
  if (hit.kind !== 'tool_result') return conversation;
  return `from ${hit.toolName ?? 'a tool'}${conversation ? ` ${conversation}` : ''}`;
}

/** The name of a hit's Open button, told apart from the others' for a screen reader's list of buttons. */
export function openHitName(hit: SearchHit): string {
  const start = hit.snippet.slice(0, 60);
  if (hit.kind === 'tool_result') {
    return `Open tool call ${hit.toolName ?? 'a tool'}${hit.conversationTitle ? ` in ${hit.conversationTitle}` : ''} at: ${start}`;
  }
  return `Open conversation${hit.conversationTitle ? ` ${hit.conversationTitle}` : ''} at: ${start}`;
}
