import type { ToolDefinition } from './tool-definition';
import type { RegisteredTool, ToolRegistry } from './tool-registry';

/**
 * The tool to run once the person allowed it: the one they were asked about or, when its server was restarted while
 * they decided (a write grant made on the Tools & servers page, as the approval's sandbox warning tells them to do
 * first), the restarted server's, provided it offers the tool as the dialog showed it: the same definition, run in a
 * sandbox or not and offline or not as before. Otherwise the one asked about, whose stopped server then says what became of it.
 */
export function toolAfterApproval(registry: ToolRegistry, asked: RegisteredTool): RegisteredTool {
  const now = registry.get(asked.definition.name);
  if (!now || now.runner === asked.runner) return asked;
  return sameAsShown(now.definition, asked.definition) ? now : asked;
}

function sameAsShown(a: ToolDefinition, b: ToolDefinition): boolean {
  return (
    a.server === b.server &&
    a.remoteName === b.remoteName &&
    a.sandboxed === b.sandboxed &&
    (a.offline ?? false) === (b.offline ?? false) &&
    a.description === b.description &&
    JSON.stringify(a.inputSchema) === JSON.stringify(b.inputSchema) &&
    JSON.stringify(a.annotations) === JSON.stringify(b.annotations)
  );
}
