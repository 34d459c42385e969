import { AppError } from '../../shared/errors';
import { deletePath, listFiles, readFile, writeFile } from './fs-operations';
import { listSearchable, SEARCH_STEPS, searchFiles } from './fs-search';
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
    case 'fs.delete':
      return deletePath(workspace, path);
    case SEARCH_STEPS.files:
      return listSearchable(workspace, path);
    case SEARCH_STEPS.lines:
      if (typeof args.query !== 'string' || !Array.isArray(args.files)) throw new AppError('TOOL_ARGUMENTS_INVALID', 'fs.search needs "query" and the files to search.');
      return searchFiles(workspace, args.query, path, args.files as { path: string; read: boolean }[], typeof args.limit === 'number' ? args.limit : 50);
    default:
      throw new AppError('TOOL_NOT_FOUND', `The tool worker has no tool named ${toolName}.`);
  }
}
