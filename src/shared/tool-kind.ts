import type { ToolAnnotations } from './domain/tool-call';

/**
 * What a tool may do, as its annotations say it, in a word as `portcullis tools list` prints it. A tool that says
 * nothing counts as able to change things, as the policy treats it.
 */
export function toolKindWord(annotations: ToolAnnotations): 'read-only' | 'destructive' | 'mutating' {
  return annotations.readOnlyHint ? 'read-only' : annotations.destructiveHint ? 'destructive' : 'mutating';
}

/** The same in words, as an approval and the Tools & servers page say it: "may delete or overwrite data". */
export function toolKindWords(annotations: ToolAnnotations): string {
  return annotations.readOnlyHint ? 'read-only' : annotations.destructiveHint ? 'may delete or overwrite data' : 'may change things';
}
