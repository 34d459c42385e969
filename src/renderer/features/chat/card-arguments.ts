import type { ToolCallRecord } from '../../../shared/domain/tool-call';
import { keyArguments } from '../../../shared/key-arguments';

/** The text of the memory a memory.forget call forgot, as its result carries it (`{ forgotten: { id, content } }`). */
function forgottenText(call: Pick<ToolCallRecord, 'toolName' | 'result'>): string | null {
  if (call.toolName !== 'memory.forget' || call.result === null || typeof call.result !== 'object') return null;
  const forgotten = (call.result as { forgotten?: unknown }).forgotten;
  const content = forgotten !== null && typeof forgotten === 'object' ? (forgotten as { content?: unknown }).content : undefined;
  return typeof content === 'string' ? content : null;
}

/**
 * A card's arguments in one line. A forget names the memory by what it said, not only by its id (which tells the
 * person nothing): "memory: I like tea" once it ran; its id until then.
 */
export function cardArgumentsLine(call: Pick<ToolCallRecord, 'toolName' | 'arguments' | 'result'>): string {
  const forgotten = forgottenText(call);
  return forgotten === null ? keyArguments(call.arguments) : keyArguments({ memory: forgotten });
}
