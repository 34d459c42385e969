import type { ToolAnnotations } from '../../shared/domain/tool-call';
import { toolKindWords } from '../../shared/tool-kind';

/**
 * What a tool's MCP annotations say it may do, in words. A tool that declares none counts as able to change
 * things, as the policy treats it.
 */
export function describeAnnotations(annotations: ToolAnnotations): string {
  const { readOnlyHint, destructiveHint, idempotentHint, openWorldHint } = annotations;
  if ([readOnlyHint, destructiveHint, idempotentHint, openWorldHint].every((hint) => hint === undefined)) {
    return 'declares no hints, so it counts as able to change things';
  }
  const notes = [toolKindWords(annotations)];
  if (idempotentHint) notes.push('safe to repeat');
  if (openWorldHint) notes.push('reaches outside your computer');
  return notes.join(', ');
}
