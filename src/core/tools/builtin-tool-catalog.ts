import type { ToolCatalog } from '../../shared/domain/tool-catalog';
import { toolInfo } from '../mcp/tool-catalog';
import { builtinTools } from './builtin-tools';

/**
 * The catalog of a data folder that does not exist: the built-in tools, as a runtime registers them (in that order),
 * and no MCP server. `tools list` shows it there without starting a runtime, which would make the folder.
 */
export function builtinToolCatalog(): ToolCatalog {
  return { configVersion: '', tools: builtinTools(() => undefined).map(({ definition }) => toolInfo(definition, null)), servers: [], problems: [] };
}
