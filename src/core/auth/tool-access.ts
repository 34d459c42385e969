import { toolLimitAllows, toolLimitRefusal } from './key-tool-limit';
import { mayCallTool, personalToolRefusal } from './personal-tools';
import type { Principal } from './scopes';

/**
 * Why this caller may not call the tool (by Portcullis' name), or null when it may: the one check every path a
 * credential reaches a tool by makes before the call (`tools.call`, /mcp's tools/list, tools/call and
 * resources/read, a script's resource read), so a refused call asks the person nothing. `calledAs`: the name the
 * caller used, when it differs (an MCP client's `fs_read`): a refusal names only that, so that a limited key is told
 * the same of a tool it may not reach as of a name no tool has. Undefined principal: in process, the person.
 */
export function toolRefusal(principal: Principal | undefined, name: string, calledAs = name): string | null {
  if (!mayCallTool(principal, name)) return personalToolRefusal(calledAs);
  if (!toolLimitAllows(principal?.toolLimit, name)) return toolLimitRefusal(principal!.toolLimit!, calledAs);
  return null;
}
