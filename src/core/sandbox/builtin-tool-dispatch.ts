import { AppError } from '../../shared/errors';
import { listFiles, readFile, writeFile } from './fs-operations';
import type { WorkspaceScope } from './workspace-scope';

/** Inside the worker: runs one built-in tool. Arguments were validated by the gateway; types are re-checked here. */
export async function runBuiltinTool(workspace: WorkspaceScope, toolName: string, args: Record<string, unknown>): Promise<unknown> {
  const path = typeof args.path === 'string' ? args.path : '.';
  switch (toolName) {
    case 'fs.list':
      return listFiles(workspace, path);
    case 'fs.read':
      return readFile(workspace, path);
    case 'fs.write':
      if (typeof args.content !== 'string') throw new AppError('TOOL_ARGUMENTS_INVALID', 'fs.write needs "content" as a string.');
      return writeFile(workspace, path, args.content);
    default:
      throw new AppError('TOOL_NOT_FOUND', `The tool worker has no tool named ${toolName}.`);
  }
}
