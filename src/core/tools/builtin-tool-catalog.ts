import type { ToolCatalog } from '../../shared/domain/tool-catalog';
import { memoryTools } from '../memory/memory-tools';
import { toolInfo } from '../mcp/tool-catalog';
import { builtinFsTools } from './builtin-fs-tools';
import { httpFetchTool } from './http-fetch-tool';

/**
 * The catalog of a data folder that does not exist: the built-in tools, as a runtime registers them (in that order),
 * and no MCP server. `tools list` shows it there without starting a runtime, which would make the folder.
 */
export function builtinToolCatalog(): ToolCatalog {
  const tools = [...builtinFsTools, ...memoryTools(() => undefined), httpFetchTool];
  return { configVersion: '', tools: tools.map((tool) => toolInfo(tool, null)), servers: [], problems: [] };
}
