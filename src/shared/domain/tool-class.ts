import type { ToolClass } from './policy';
import type { ToolAnnotations } from './tool-call';

/**
 * The classes a tool falls in, by MCP's defaults: not read-only unless it says so (unknown counts as
 * mutating), destructive and open-world unless it says it is not. An `offline` tool (its server's OS sandbox
 * lets it reach no network and no local daemon) is not open-world whatever it declares: it cannot reach out.
 */
export function toolClasses(annotations: ToolAnnotations, offline = false): ReadonlySet<ToolClass> {
  const classes = new Set<ToolClass>();
  if (annotations.readOnlyHint === true) classes.add('read-only');
  else {
    classes.add('mutating');
    if (annotations.destructiveHint !== false) classes.add('destructive');
  }
  if (annotations.openWorldHint !== false && !offline) classes.add('open-world');
  return classes;
}

/** Calls that taint can not be trusted with: they change things or can send data out. */
export function isSensitive(classes: ReadonlySet<ToolClass>): boolean {
  return classes.has('mutating') || classes.has('open-world');
}
