import { memoryTools } from '../memory/memory-tools';
import { builtinFsTools, fsSearchTool } from './builtin-fs-tools';
import { httpFetchTool } from './http-fetch-tool';
import type { ToolDefinition } from './tool-definition';

/** Which of the runtime's runners runs a built-in tool. */
export type BuiltinRunnerKind = 'files' | 'search' | 'memory' | 'fetch';

/**
 * The built-in tools, in the order a runtime registers them, each with the runner it runs on: the one list the runtime
 * registers and `tools list` shows for a data folder that does not exist. `memoryContent` lets memory.forget's
 * approval quote the memory it forgets.
 */
export function builtinTools(memoryContent: (id: string) => string | undefined): Array<{ definition: ToolDefinition; runs: BuiltinRunnerKind }> {
  return [
    ...builtinFsTools.map((definition) => ({ definition, runs: definition === fsSearchTool ? ('search' as const) : ('files' as const) })),
    ...memoryTools(memoryContent).map((definition) => ({ definition, runs: 'memory' as const })),
    { definition: httpFetchTool, runs: 'fetch' },
  ];
}
